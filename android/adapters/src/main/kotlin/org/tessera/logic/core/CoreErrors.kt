package org.tessera.logic.core

import org.tessera.core.TesseraException
import org.tessera.logic.Problem
import org.tessera.logic.ProblemException

/** The category a screen acts on for a core error (the core's message never holds secrets). */
fun TesseraException.toProblem(): Problem = when (this) {
    is TesseraException.InvalidUri -> Problem.INVALID_URI
    is TesseraException.WrongPassword -> Problem.WRONG_PASSWORD
    is TesseraException.Corrupted -> Problem.CORRUPTED
    is TesseraException.Locked -> Problem.LOCKED
    is TesseraException.NotFound -> Problem.NOT_FOUND
    is TesseraException.Network -> Problem.NETWORK
    is TesseraException.KeyStore -> Problem.KEY_UNAVAILABLE
    is TesseraException.Unsupported -> Problem.CORRUPTED
    is TesseraException.InvalidInput, is TesseraException.Busy, is TesseraException.Internal -> Problem.UNKNOWN
}

/** Runs a core call, turning its typed error into a [ProblemException] for the view models. */
inline fun <T> core(block: () -> T): T = try {
    block()
} catch (e: TesseraException) {
    throw ProblemException(e.toProblem(), e)
}
