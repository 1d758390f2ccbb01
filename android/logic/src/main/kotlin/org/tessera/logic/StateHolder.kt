package org.tessera.logic

/**
 * The current value of a view model's state plus listeners told of every change.
 *
 * Deliberately tiny (no coroutines): the logic module compiles with kotlin-stdlib alone, and the app
 * adapts it to Compose state in one place. Listeners run on the thread that changed the value; the
 * view models are driven from the main thread.
 */
class StateHolder<T>(initial: T) {
    private val listeners = mutableListOf<(T) -> Unit>()

    /** The current state. Setting an equal value notifies nobody. */
    var value: T = initial
        set(new) {
            if (new == field) return
            field = new
            listeners.toList().forEach { it(new) }
        }

    /** Calls [listener] now with the current value and after every change, until the handle is closed. */
    fun subscribe(listener: (T) -> Unit): AutoCloseable {
        listeners += listener
        listener(value)
        return AutoCloseable { listeners -= listener }
    }
}

/** What went wrong, in categories a screen can act on; never carries secrets or personal data. */
enum class Problem {
    /** Not an otpauth:// (or migration) link, or a malformed one. */
    INVALID_URI,
    /** The vault's password or key was refused. */
    WRONG_PASSWORD,
    /** The vault is locked: unlock first. */
    LOCKED,
    /** The account or request does not exist (any more). */
    NOT_FOUND,
    /** A file could not be read as any supported format, or is damaged. */
    CORRUPTED,
    /** The server could not be reached. */
    NETWORK,
    /** The sign-in request has expired. */
    EXPIRED,
    /** The sign-in request was already answered (here or elsewhere). */
    ALREADY_ANSWERED,
    /** The platform key store refused (biometrics cancelled, key invalidated). */
    KEY_UNAVAILABLE,
    /** This build's core does not offer the feature yet (e.g. backups before the vault API). */
    UNAVAILABLE,
    /** Anything else; details are in the log, never on screen. */
    UNKNOWN,
}

/** Thrown by the sources behind the view models (adapters map the core's errors onto [problem]). */
class ProblemException(val problem: Problem, cause: Throwable? = null) :
    Exception("tessera: ${problem.name.lowercase()}", cause)
