# Sourced by test scripts: where the project keeps the tools it installs for itself.
# Tools live outside the clone (shared between clones on one machine, never required to exist).
export TESSERA_TOOLS="${TESSERA_TOOLS:-$HOME/.cache/tessera-tools}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
