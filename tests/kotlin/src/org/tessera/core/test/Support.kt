package org.tessera.core.test

import java.io.File
import java.util.concurrent.CopyOnWriteArrayList
import org.tessera.core.Account
import org.tessera.core.HashAlgorithm
import org.tessera.core.LogRecord
import org.tessera.core.Logger
import org.tessera.core.OtpType

/** The shared corpus (../shared/corpus), or null with a printed note when it is absent. */
fun corpusDir(what: String): File? {
    val dir = System.getProperty("tessera.corpus")?.let(::File)
    if (dir == null || !dir.isDirectory) {
        println("NOTE: shared corpus absent; $what checked without corpus files")
        return null
    }
    return dir
}

/** RFC 6238 seeds (ASCII "1234567890" repeated to the hash size) in Base32. */
val RFC_SEED_SHA1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
val RFC_SEED_SHA256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA"
val RFC_SEED_SHA512 =
    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA"

fun account(
    secret: String = RFC_SEED_SHA1,
    type: OtpType = OtpType.TOTP,
    algorithm: HashAlgorithm = HashAlgorithm.SHA1,
    digits: UByte = 6u,
    period: UInt = 30u,
    counter: ULong = 0u,
    issuer: String = "Issuer",
    name: String = "alice@example.com",
) = Account(
    otpType = type, issuer = issuer, name = name, secretBase32 = secret, algorithm = algorithm,
    digits = digits, period = period, counter = counter, groups = emptyList(), note = "",
    favorite = false, extra = emptyMap(),
)

/** A logger implemented in Kotlin that keeps what Rust sends it. */
class CollectingLogger : Logger {
    val records = CopyOnWriteArrayList<LogRecord>()
    override fun log(record: LogRecord) {
        records.add(record)
    }
}
