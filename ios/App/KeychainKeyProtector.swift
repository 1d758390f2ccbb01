import CryptoKit
import Foundation
import LocalAuthentication
import Security
import TesseraAdapters
import TesseraLogic

/// Wraps the vault key so that only this iPhone, unlocked by its owner, can unwrap it.
///
/// On devices with a Secure Enclave the wrapping key is a P-256 key that never leaves it (ECIES
/// with AES-GCM, `SecKeyCreateEncryptedData`); its use requires user presence when the lock is on.
/// Where there is no Secure Enclave (the simulator), an AES-256 key in the Keychain, protected by
/// the same access control, seals the vault key with AES-GCM. Items are `ThisDeviceOnly`: they are
/// never in iCloud or device backups, so the in-app encrypted backup is the way to move phones.
///
/// Blob layout: version byte (1 = Secure Enclave ECIES, 2 = Keychain AES-GCM) | sealed bytes.
/// The core calls `wrap` when the vault is created and `unwrap` when it opens, through
/// TesseraAdapters' `KeyWrapperProtector` (the `KeyProtector` foreign trait; see CoreServices).
final class KeychainKeyProtector: KeyWrapper {
    private let requireAuth: Bool
    private let context: LAContextBox?
    private let tag = Data("org.tessera.vault-key-wrap".utf8)
    private let algorithm = SecKeyAlgorithm.eciesEncryptionCofactorVariableIVX963SHA256AESGCM

    init(requireAuth: Bool, context: LAContextBox?) {
        self.requireAuth = requireAuth
        self.context = context
    }

    /// Seals `vaultKey` under this device's key (created on first use).
    func wrap(_ vaultKey: Data) throws -> Data {
        if SecureEnclave.isAvailable {
            let privateKey = try enclaveKey(create: true)
            guard let publicKey = SecKeyCopyPublicKey(privateKey) else { throw Problem.keyUnavailable }
            var error: Unmanaged<CFError>?
            guard let sealed = SecKeyCreateEncryptedData(publicKey, algorithm, vaultKey as CFData, &error) as Data? else {
                throw Problem.keyUnavailable
            }
            return Data([1]) + sealed
        }
        let key = try keychainAESKey(create: true)
        guard let combined = try AES.GCM.seal(vaultKey, using: key).combined else { throw Problem.keyUnavailable }
        return Data([2]) + combined
    }

    /// Opens a blob made by `wrap`.
    func unwrap(_ blob: Data) throws -> Data {
        guard let version = blob.first else { throw Problem.corrupted }
        let body = blob.dropFirst()
        switch version {
        case 1:
            let privateKey = try enclaveKey(create: false)
            var error: Unmanaged<CFError>?
            guard let key = SecKeyCreateDecryptedData(privateKey, algorithm, Data(body) as CFData, &error) as Data? else {
                throw Problem.keyUnavailable
            }
            return key
        case 2:
            do {
                return try AES.GCM.open(AES.GCM.SealedBox(combined: body), using: try keychainAESKey(create: false))
            } catch let problem as Problem {
                throw problem
            } catch {
                throw Problem.corrupted
            }
        default:
            throw Problem.corrupted
        }
    }

    /// Deletes the device key (after the user erased the vault).
    func delete() {
        SecItemDelete([kSecClass: kSecClassKey, kSecAttrApplicationTag: tag] as CFDictionary)
        SecItemDelete([kSecClass: kSecClassGenericPassword, kSecAttrService: "org.tessera", kSecAttrAccount: "vault-key-wrap"] as CFDictionary)
    }

    private func accessControl(privateKeyUsage: Bool) throws -> SecAccessControl {
        var flags: SecAccessControlCreateFlags = privateKeyUsage ? [.privateKeyUsage] : []
        if requireAuth { flags.insert(.userPresence) }
        let protection = requireAuth ? kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly : kSecAttrAccessibleWhenUnlockedThisDeviceOnly
        guard let access = SecAccessControlCreateWithFlags(nil, protection, flags, nil) else { throw Problem.keyUnavailable }
        return access
    }

    private func enclaveKey(create: Bool) throws -> SecKey {
        var query: [CFString: Any] = [
            kSecClass: kSecClassKey,
            kSecAttrApplicationTag: tag,
            kSecAttrKeyType: kSecAttrKeyTypeECSECPrimeRandom,
            kSecReturnRef: true,
        ]
        if let context { query[kSecUseAuthenticationContext] = context.context }
        var item: CFTypeRef?
        if SecItemCopyMatching(query as CFDictionary, &item) == errSecSuccess, let item {
            return item as! SecKey // swiftlint:disable:this force_cast — a kSecClassKey query returns SecKey
        }
        guard create else { throw Problem.keyUnavailable }
        let attributes: [CFString: Any] = [
            kSecAttrKeyType: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits: 256,
            kSecAttrTokenID: kSecAttrTokenIDSecureEnclave,
            kSecPrivateKeyAttrs: [
                kSecAttrIsPermanent: true,
                kSecAttrApplicationTag: tag,
                kSecAttrAccessControl: try accessControl(privateKeyUsage: true),
            ] as [CFString: Any],
        ]
        var error: Unmanaged<CFError>?
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else { throw Problem.keyUnavailable }
        return key
    }

    private func keychainAESKey(create: Bool) throws -> SymmetricKey {
        var query: [CFString: Any] = [
            kSecClass: kSecClassGenericPassword,
            kSecAttrService: "org.tessera",
            kSecAttrAccount: "vault-key-wrap",
            kSecReturnData: true,
        ]
        if let context { query[kSecUseAuthenticationContext] = context.context }
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        if status == errSecSuccess, let data = item as? Data { return SymmetricKey(data: data) }
        guard create, status == errSecItemNotFound else { throw Problem.keyUnavailable }
        let key = SymmetricKey(size: .bits256)
        let add: [CFString: Any] = [
            kSecClass: kSecClassGenericPassword,
            kSecAttrService: "org.tessera",
            kSecAttrAccount: "vault-key-wrap",
            kSecAttrAccessControl: try accessControl(privateKeyUsage: false),
            kSecValueData: key.withUnsafeBytes { Data($0) },
        ]
        guard SecItemAdd(add as CFDictionary, nil) == errSecSuccess else { throw Problem.keyUnavailable }
        return key
    }
}
