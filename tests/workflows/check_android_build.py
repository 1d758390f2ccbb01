#!/usr/bin/env python3
"""Static checks of the Android Gradle build that need no Android SDK.

- every `libs.<alias>`, `libs.versions.<name>` and `libs.plugins.<alias>` used in a build script
  exists in gradle/libs.versions.toml, and every `version.ref` there points at a version;
- every module in settings.gradle.kts has a build script;
- every Android XML file (manifests, resources) is well-formed.
Prints one line per check, "ok" or "FAIL"; exit status 1 when any fails.
"""
import pathlib
import re
import sys
import tomllib
import xml.etree.ElementTree as ET

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "android")
failed = 0


def report(ok, name, detail=""):
    global failed
    print(("ok    " if ok else "FAIL  ") + name)
    if not ok:
        failed += 1
        for line in detail.strip().splitlines():
            print("      " + line)


catalog = tomllib.loads((root / "gradle/libs.versions.toml").read_text())
versions = set(catalog.get("versions", {}))
libraries = {k.replace("-", ".").replace("_", ".") for k in catalog.get("libraries", {})}
plugins = {k.replace("-", ".").replace("_", ".") for k in catalog.get("plugins", {})}

bad_refs = []
for section in ("libraries", "plugins"):
    for alias, spec in catalog.get(section, {}).items():
        # `version.ref = "x"` in an inline table parses as {"version": {"ref": "x"}}.
        ref = spec.get("version", {}).get("ref") if isinstance(spec, dict) and isinstance(spec.get("version"), dict) else None
        if ref is not None and ref not in versions:
            bad_refs.append(f"{section}.{alias}: version.ref '{ref}' is not in [versions]")
report(not bad_refs, "android: every version.ref in the catalog names a version", "\n".join(bad_refs))

scripts = sorted(root.glob("**/*.gradle.kts"))
unknown = []
for script in scripts:
    # Comments may mention file names like gradle/libs.versions.toml: drop them first.
    text = re.sub(r"//[^\n]*", "", script.read_text())
    for m in re.finditer(r"\blibs\.((?:[a-zA-Z][\w]*\.?)+)", text):
        path = m.group(1).rstrip(".")
        # Strip accessor calls such as .get() / .asProvider()
        path = re.sub(r"\.(get|asProvider|module)$", "", path)
        if path.startswith("versions."):
            name = path[len("versions."):]
            ok = name in versions or name.replace(".", "-") in versions
        elif path.startswith("plugins."):
            ok = path[len("plugins."):] in plugins
        else:
            ok = path in libraries
        if not ok:
            unknown.append(f"{script.relative_to(root)}: libs.{path}")
report(not unknown, f"android: the {len(scripts)} build scripts use only aliases the catalog defines", "\n".join(unknown))

settings = (root / "settings.gradle.kts").read_text()
modules = re.findall(r'include\("(:[\w:-]+)"\)', settings)
missing = [m for m in modules if not (root / m.strip(":").replace(":", "/") / "build.gradle.kts").is_file()]
report(modules and not missing, f"android: the {len(modules)} modules in settings.gradle.kts have build scripts", "missing: " + " ".join(missing))

xml_files = sorted([*root.glob("**/src/**/AndroidManifest.xml"), *root.glob("**/src/**/res/**/*.xml")])
broken = []
for f in xml_files:
    try:
        ET.parse(f)
    except ET.ParseError as e:
        broken.append(f"{f.relative_to(root)}: {e}")
report(xml_files and not broken, f"android: the {len(xml_files)} manifest and resource XML files are well-formed", "\n".join(broken))

sys.exit(1 if failed else 0)
