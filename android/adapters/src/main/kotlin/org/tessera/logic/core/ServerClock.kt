package org.tessera.logic.core

import org.tessera.core.Clock

/**
 * "Now" as the sign-in servers see it: the phone's wall clock plus the offset the core measured
 * against the push server (kept in the shared core [clock], which [org.tessera.core.PushApprovals]
 * corrects). The screens pass [nowMillis] to the view models, so codes, their countdowns and the
 * approvals' expiry countdowns all move together: the core stamps requests in corrected time too.
 *
 * With [correction] off it is the phone's clock unchanged.
 */
class ServerClock(
    private val clock: Clock,
    private val correction: Boolean = true,
    private val wallMillis: () -> Long = System::currentTimeMillis,
) {
    /** Unix milliseconds, corrected by the measured offset when [correction] is on. */
    fun nowMillis(): Long = wallMillis() + if (correction) offsetSeconds() * 1000 else 0L

    /** The measured offset in seconds (server minus phone); 0 until measured. */
    fun offsetSeconds(): Long = clock.offsetSeconds()
}
