package org.tessera.logic.core

import java.io.File
import java.nio.file.Files
import org.tessera.core.Clock
import org.tessera.core.PushApprovals
import org.tessera.core.kdfInsecureForTests

/**
 * A vault with a push token enrolled at [PrivacyIdeaSim], made once per test run and copied for
 * each test: enrolling generates a 4096-bit RSA device key, which takes seconds in a debug build.
 * The copies open with [wrapper]; call [PrivacyIdeaSim.reset] on [sim] between tests.
 */
object EnrolledVault {
    /** Unix seconds of the devices' fixed clocks in the push tests. */
    const val NOW = 1_700_000_000L

    /** The platform key of every copy. */
    val wrapper = AesKeyWrapper()

    /** The server the token is enrolled at. */
    val sim = PrivacyIdeaSim(NOW)

    private val template: File by lazy {
        val dir = Files.createTempDirectory("tessera-enrolled").toFile()
        Runtime.getRuntime().addShutdownHook(Thread { dir.deleteRecursively() })
        val path = File(dir, "v.tessera").path
        VaultFile.openOrCreate(path, wrapper, kdfInsecureForTests()).use { opened ->
            PushApprovals(opened.vault, sim, Clock.fixed(NOW.toULong())).use { it.enroll(sim.enrollUri) }
            opened.vault.shutdown()
        }
        File(path)
    }

    /** A fresh copy of the enrolled vault in [tmp], unlocked. */
    fun copyInto(tmp: TempDir, name: String = "enrolled.tessera"): OpenedVault {
        sim.reset()
        for (suffix in listOf("", "-wal", "-shm")) {
            val from = File(template.path + suffix)
            if (from.exists()) from.copyTo(File(tmp.path(name) + suffix), overwrite = true)
        }
        return VaultFile.openOrCreate(tmp.path(name), wrapper, kdfInsecureForTests())
    }
}
