package org.tessera.logic.core

import org.tessera.core.Account
import org.tessera.core.HashAlgorithm
import org.tessera.core.decodeMigration
import org.tessera.core.parseUri
import org.tessera.logic.AccountPreview
import org.tessera.logic.OtpType
import org.tessera.logic.UriParser
import org.tessera.core.OtpType as CoreOtpType

/** [UriParser] over the core: `parseUri` for otpauth:// links, `decodeMigration` for Google's batches. */
class CoreUriParser : UriParser {
    override fun parse(uri: String): List<AccountPreview> = core { accountsIn(uri) }.map { it.preview() }

    companion object {
        /** The accounts (with secrets) in [uri]; throws the core's error. */
        fun accountsIn(uri: String): List<Account> =
            if (uri.trim().startsWith("otpauth-migration:", ignoreCase = true)) decodeMigration(uri.trim()) else listOf(parseUri(uri.trim()))
    }
}

/** What the add-account screen shows of an account (never the secret). */
fun Account.preview() = AccountPreview(
    issuer = issuer,
    accountName = name,
    type = otpType.toLogic(),
    digits = digits.toInt(),
    periodSeconds = if (otpType == CoreOtpType.HOTP) null else period.toInt(),
    algorithm = when (algorithm) {
        HashAlgorithm.SHA1 -> "SHA1"
        HashAlgorithm.SHA256 -> "SHA256"
        HashAlgorithm.SHA512 -> "SHA512"
    },
)

/** The core's OTP type as the logic module's. */
fun CoreOtpType.toLogic(): OtpType = when (this) {
    CoreOtpType.TOTP -> OtpType.TOTP
    CoreOtpType.HOTP -> OtpType.HOTP
    CoreOtpType.STEAM -> OtpType.STEAM
}
