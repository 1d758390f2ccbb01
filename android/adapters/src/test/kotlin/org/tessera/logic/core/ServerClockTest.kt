package org.tessera.logic.core

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.tessera.core.Clock
import org.tessera.core.PushApprovals
import org.tessera.logic.ApprovalFlowModel
import org.tessera.logic.ApprovalPhase
import org.tessera.logic.CodesListModel

/** One corrected clock for codes, countdowns and approval expiries, measured by push. */
class ServerClockTest {
    @Test
    fun aMeasuredDriftMovesCodesAndApprovalCountdownsTogether() {
        val wall = EnrolledVault.NOW * 1000 // the phone's clock, 250 s behind the server
        TempDir().use { tmp ->
            EnrolledVault.copyInto(tmp).vault.use { v ->
                val clock = Clock.fixed(EnrolledVault.NOW.toULong())
                PushApprovals(v, EnrolledVault.sim, clock).use { push ->
                    EnrolledVault.sim.skewSeconds = 250
                    val server = ServerClock(clock) { wall }
                    val off = ServerClock(clock, correction = false) { wall }
                    assertEquals(wall, server.nowMillis(), "nothing measured yet")
                    val source = PushApprovalSource(push)
                    source.pending(EnrolledVault.NOW) // a poll measures the server's clock
                    assertEquals(250L, server.offsetSeconds())
                    assertEquals(wall + 250_000, server.nowMillis())
                    assertEquals(wall, off.nowMillis())

                    // A request stamped by the core in server time has its full 120 s on screen.
                    PushInboxAdapter(push).deliver(EnrolledVault.sim.challenge("NONCEDRIFT"))
                    val model = ApprovalFlowModel(source)
                    model.refresh(server.nowMillis())
                    assertEquals(ApprovalPhase.Deciding, model.state.value.phase)
                    assertEquals(120L, model.state.value.current!!.secondsLeft)
                    // The phone's own clock would count 250 s too many (or, ahead, show it expired).
                    val naive = ApprovalFlowModel(source)
                    naive.refresh(off.nowMillis())
                    assertEquals(370L, naive.state.value.current!!.secondsLeft)

                    // Codes at the corrected time are the server's codes.
                    VaultAccounts(v).add(listOf(Links.RFC))
                    val codes = CodesListModel(VaultAccounts(v))
                    codes.tick(server.nowMillis())
                    val expected = VaultAccounts(v).codesAt(EnrolledVault.NOW + 250).single().code
                    assertEquals(expected, codes.copy(codes.state.value.rows.single().id, server.nowMillis())!!.text)
                }
            }
        }
    }
}
