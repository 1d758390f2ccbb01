import Foundation
import Tessera
import TesseraLogic

/// Hands APNs notifications to the core's `PushApprovals.receivePayload`, which checks the server's
/// signature and stores the request.
///
/// privacyIDEA sends its challenge as flat data keys (through FCM, which puts them at the top of the
/// APNs `userInfo` next to `aps`): `nonce`, `question`, `title`, `serial`, `sslverify`, `url`,
/// `signature`, and optionally `require_presence`, `version`, `capabilities`,
/// `capabilities_signature`. Only these keys are passed on, as the JSON object the core parses;
/// a notification without a `nonce` is not a sign-in request and is left alone.
public final class APNsInbox: PushInbox {
    /// The payload keys of a privacyIDEA challenge.
    public static let payloadKeys: Set<String> = [
        "nonce", "question", "title", "serial", "sslverify", "url", "signature",
        "require_presence", "version", "capabilities", "capabilities_signature",
    ]

    private let push: PushApprovals

    /// An inbox storing requests through `push`.
    public init(push: PushApprovals) {
        self.push = push
    }

    /// Delivers one notification's data; returns the stored request's id, `nil` when the data is
    /// not a sign-in request. Throws `Problem.corrupted` when the core refuses the request (forged,
    /// malformed, unknown token or replayed; the refusal is in the core's history) and
    /// `Problem.locked` when the vault is locked.
    public func deliver(_ data: [String: String]) throws -> String? {
        let payload = data.filter { APNsInbox.payloadKeys.contains($0.key) }
        guard payload["nonce"] != nil else { return nil }
        let json = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        do {
            return try push.receivePayload(payload: json).id
        } catch let error as TesseraError {
            throw error.isInvalidInput ? Problem.corrupted : error.problem
        }
    }

    /// Hands the app's new push-service token to the core's `PushApprovals.updatePushServiceToken`,
    /// which signs it for the server of every token not enrolled poll-only. A server that could
    /// not be told is listed in `failed`, not thrown; throws `Problem.unknown` for an unusable token
    /// (empty, over 1024 bytes, spaces) and `.locked` when the vault is locked. Network calls: call
    /// it off the main thread.
    public func pushServiceTokenChanged(_ token: String) throws -> PushTokenRegistration {
        let results = try core { try push.updatePushServiceToken(token: token.trimmingCharacters(in: .whitespacesAndNewlines)) }
        var updated = 0, skipped = 0
        var failed: [String] = []
        for r in results {
            switch r.outcome {
            case .updated: updated += 1
            case .skippedPollOnly: skipped += 1
            case .failed: failed.append(r.serial)
            }
        }
        return PushTokenRegistration(updated: updated, skippedPollOnly: skipped, failed: failed)
    }

    /// An APNs device token (from `didRegisterForRemoteNotificationsWithDeviceToken`) as the
    /// lower-case hex text servers expect.
    public static func hexToken(_ deviceToken: Data) -> String {
        deviceToken.map { String(format: "%02x", $0) }.joined()
    }

    /// `userInfo` of a remote notification as string data: strings as they are, numbers as their
    /// decimal text (some relays turn `"1"` into `1`); `aps` and other nested values are dropped.
    public static func data(fromUserInfo userInfo: [AnyHashable: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in userInfo {
            guard let name = key as? String, payloadKeys.contains(name) else { continue }
            if let s = value as? String {
                out[name] = s
            } else if let i = value as? Int {
                out[name] = String(i)
            }
        }
        return out
    }
}
