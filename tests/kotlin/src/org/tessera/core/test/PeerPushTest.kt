package org.tessera.core.test

import java.net.HttpURLConnection
import java.net.URI
import java.net.URLEncoder
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.core.Clock
import org.tessera.core.PushApprovals
import org.tessera.core.PushTokenUpdateOutcome
import org.tessera.core.TesseraException
import org.tessera.core.kdfInsecureForTests
import org.tessera.logic.ApprovalFlowModel
import org.tessera.logic.ApprovalKind
import org.tessera.logic.ApprovalPhase
import org.tessera.logic.Decision
import org.tessera.logic.DenyReason
import org.tessera.logic.PushTokenRegistration
import org.tessera.logic.core.AesKeyWrapper
import org.tessera.logic.core.PushApprovalSource
import org.tessera.logic.core.PushInboxAdapter
import org.tessera.logic.core.TempDir
import org.tessera.logic.core.UrlConnectionTransport
import org.tessera.logic.core.VaultFile

/**
 * The real privacyIDEA 3.14 that tests/kotlin/run starts on 127.0.0.1 (tests/push/peer/start) and
 * its admin endpoint (tests/push/peer/admin.py: the admin and the sign-in screen), as JUnit sees
 * them through -Dtessera.peerAdminUrl. Without it the test fails: a push flow that did not run
 * must never count as passed.
 */
private class Peer(private val admin: String) {
    /** One admin endpoint call; the string fields of the JSON object it answered. */
    fun call(path: String, query: Map<String, String>): Map<String, String?> {
        val q = query.entries.joinToString("&") { "${it.key}=${URLEncoder.encode(it.value, "UTF-8")}" }
        val c = URI("$admin$path?$q").toURL().openConnection() as HttpURLConnection
        c.readTimeout = 120_000
        val status = c.responseCode
        val body = (if (status >= 400) c.errorStream else c.inputStream).use { String(it.readBytes()) }
        check(status == 200) { "peer $path: HTTP $status $body" }
        // Flat JSON objects of strings, booleans and nulls (admin.py's replies).
        return Regex(""""(\w+)"\s*:\s*(?:"((?:[^"\\]|\\.)*)"|(true|false|null))""").findAll(body).associate { m ->
            m.groupValues[1] to (m.groups[2]?.value?.replace("\\\"", "\"")?.replace("\\\\", "\\") ?: m.groupValues[3].takeIf { it != "null" })
        }
    }

    fun enroll(user: String) = call("/enroll", mapOf("user" to user)).let { it["serial"]!! to it["link"]!! }
    fun trigger(user: String) = call("/trigger", mapOf("user" to user)).let { it["transaction_id"]!! to it["presence_answer"] }
    fun status(tid: String) = call("/status", mapOf("transaction_id" to tid))["status"]
    fun finalize(user: String, tid: String) = call("/finalize", mapOf("user" to user, "transaction_id" to tid))["authentication"]
    fun token(serial: String) = call("/token", mapOf("serial" to serial))
}

/**
 * The Android app's push path end to end against the real server: the adapters' vault, push source
 * and HttpURLConnection transport, driven through the approvals view model; the server's side
 * checked through its own API. One enrollment (bob: number matching), ≈ 10-30 s of RSA-4096 key
 * generation on both sides.
 */
class PeerPushTest {
    @Test
    fun `the Android adapters enroll, match the number, approve and deny 'not me' at a real privacyIDEA`() {
        val adminUrl = System.getProperty("tessera.peerAdminUrl").orEmpty()
        assertTrue(adminUrl.isNotEmpty(), "privacyIDEA peer not available (-Dtessera.peerAdminUrl unset): run tests/kotlin/run")
        val peer = Peer(adminUrl)
        TempDir().use { tmp ->
            VaultFile.openOrCreate(tmp.path("bob.tessera"), AesKeyWrapper(), kdfInsecureForTests()).use { opened ->
                PushApprovals(opened.vault, UrlConnectionTransport(), null).use { push ->
                    val source = PushApprovalSource(push)
                    val (serial, link) = peer.enroll("bob")
                    assertEquals(serial, source.enroll(link))
                    val token = peer.token(serial)
                    assertEquals("enrolled", token["rollout_state"])
                    assertEquals("true", token["active"])

                    // The sign-in screen shows a number; the phone finds the request by polling.
                    val (tid, shownNumber) = peer.trigger("bob")
                    val number = shownNumber ?: throw AssertionError("bob's policy asks for number matching")
                    val model = ApprovalFlowModel(source)
                    model.refresh(System.currentTimeMillis())
                    val request = model.state.value.current?.request ?: throw AssertionError("the poll found the request")
                    assertEquals(ApprovalKind.CHOOSE_NUMBER, request.kind)
                    assertTrue(number in request.options, request.options.toString())
                    model.answer(request.options.first { it != number }, System.currentTimeMillis())
                    model.approve(System.currentTimeMillis())
                    assertEquals(ApprovalPhase.WrongAnswer, model.state.value.phase)
                    assertEquals("pending", peer.status(tid), "the server keeps the challenge open after a wrong answer")
                    model.answer(number, System.currentTimeMillis())
                    model.approve(System.currentTimeMillis())
                    assertEquals(ApprovalPhase.Approved(null), model.state.value.phase)
                    assertEquals("accept", peer.status(tid))
                    assertEquals("ACCEPT", peer.finalize("bob", tid))
                    model.dismiss(System.currentTimeMillis())

                    // A sign-in the user did not start.
                    val (tid2, _) = peer.trigger("bob")
                    model.refresh(System.currentTimeMillis())
                    assertEquals(ApprovalPhase.Deciding, model.state.value.phase)
                    model.deny(DenyReason.NOT_ME, System.currentTimeMillis())
                    assertEquals(ApprovalPhase.Denied(DenyReason.NOT_ME), model.state.value.phase)
                    assertEquals("declined", peer.status(tid2))
                    assertEquals("REJECT", peer.finalize("bob", tid2))

                    assertEquals(listOf(Decision.APPROVED, Decision.DENIED_NOT_ME), source.history().map { it.decision }.sorted())
                }
            }
        }
    }

    @Test
    fun `the FCM token reaches a real privacyIDEA at enrollment and when FCM hands out a new one`() {
        val adminUrl = System.getProperty("tessera.peerAdminUrl").orEmpty()
        assertTrue(adminUrl.isNotEmpty(), "privacyIDEA peer not available (-Dtessera.peerAdminUrl unset): run tests/kotlin/run")
        val peer = Peer(adminUrl)
        TempDir().use { tmp ->
            VaultFile.openOrCreate(tmp.path("alice.tessera"), AesKeyWrapper(), kdfInsecureForTests()).use { opened ->
                val (serial, link) = peer.enroll("alice")
                PushApprovals(opened.vault, UrlConnectionTransport(), null).use { push ->
                    // The peer is poll-only; the link says it pushes so the client registers the token
                    // (privacyIDEA stores firebase_token whatever its gateway).
                    val pushing = link.replace("poll_only=True", "poll_only=False")
                    assertTrue(pushing != link, "the peer's link carries poll_only=True")
                    assertEquals(serial, PushApprovalSource(push).enroll(pushing, "fcm-kotlin-1:APA91b"))
                    assertEquals("fcm-kotlin-1:APA91b", peer.token(serial)["firebase_token"])
                    val info = push.tokens().single { it.serial == serial }
                    assertFalse(info.pollOnly)
                    assertTrue(info.pushServiceTokenSet)

                    // FirebaseMessagingService.onNewToken → the inbox adapter → the core → the server.
                    val inbox = PushInboxAdapter(push)
                    assertEquals(PushTokenRegistration(1, 0, emptyList()), inbox.pushServiceTokenChanged("fcm-kotlin-2"))
                    assertEquals("fcm-kotlin-2", peer.token(serial)["firebase_token"])
                    assertThrows(TesseraException.InvalidInput::class.java) { push.updatePushServiceToken("has space") }
                    assertEquals("fcm-kotlin-2", peer.token(serial)["firebase_token"])
                }
                // A phone clock 400 s behind: outside privacyIDEA's ±5 min window, refused per token.
                val stale = System.currentTimeMillis() / 1000 - 400
                PushApprovals(opened.vault, UrlConnectionTransport(), Clock.fixed(stale.toULong())).use { push ->
                    val results = push.updatePushServiceToken("fcm-kotlin-3")
                    assertEquals(listOf(serial), results.map { it.serial })
                    val outcome = results[0].outcome
                    assertTrue(outcome is PushTokenUpdateOutcome.Failed, outcome.toString())
                    assertTrue("fcm-kotlin-3" !in outcome.toString(), "the reason does not repeat the token")
                    assertEquals("fcm-kotlin-2", peer.token(serial)["firebase_token"])
                }
            }
        }
    }
}
