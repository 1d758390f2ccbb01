package org.tessera.logic.core

import org.tessera.core.PushApprovals
import org.tessera.logic.TimeService

/**
 * The time-drift status over the core's clock correction, which it measures from the `Date` of
 * every reply of a push server. Without an enrolled push token there is nothing to measure
 * against: [offsetSeconds] is then `null` ("not checked yet"). [correction] says whether the
 * codes list adds the offset (see [VaultAccounts]).
 */
class PushClockTime(private val push: PushApprovals, private val correction: Boolean = true) : TimeService {
    override fun offsetSeconds(): Long? =
        if (core { push.tokens() }.isEmpty()) null else core { push.clockOffsetSeconds() }

    override fun correctionEnabled(): Boolean = correction
}
