//! `otpauth://` links and Google Authenticator migration links.

use tessera_core::Account as CoreAccount;

use crate::account::Account;
use crate::error::TesseraError;

/// Parses an `otpauth://totp|hotp|steam/...` or `steam://` link into an account.
/// Errors: `InvalidUri` with a reason that never contains the secret.
#[uniffi::export]
pub fn parse_uri(uri: String) -> Result<Account, TesseraError> {
    let account = tessera_core::uri::parse(&uri)?;
    Ok(Account::from(&account))
}

/// The `otpauth://` link of an account (the form QR codes carry).
/// Errors: `InvalidInput` when the account's secret or parameters are invalid.
#[uniffi::export]
pub fn account_to_uri(account: Account) -> Result<String, TesseraError> {
    let core = CoreAccount::try_from(&account)?;
    Ok(tessera_core::uri::to_uri(&core))
}

/// The accounts of one Google Authenticator `otpauth-migration://offline?data=...` link.
#[uniffi::export]
pub fn decode_migration(uri: String) -> Result<Vec<Account>, TesseraError> {
    let batch = tessera_core::migration::decode(&uri)?;
    Ok(batch.accounts.iter().map(Account::from).collect())
}

/// Google Authenticator migration links (one per QR code) carrying `accounts`. Accounts the format
/// cannot carry (Steam, digits other than 6 or 8) are left out.
#[uniffi::export]
pub fn encode_migration(accounts: Vec<Account>) -> Result<Vec<String>, TesseraError> {
    let core = accounts
        .iter()
        .map(CoreAccount::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(tessera_core::migration::encode(&core).uris)
}
