import SwiftUI

/// Adding Tessera as the authenticator app for Microsoft 365 / NHSmail: Entra ID accepts any TOTP
/// app under "I want to use a different authenticator app"; Tessera then provides codes (Microsoft's
/// own push notifications go only to Microsoft Authenticator). Same steps as the Android guide.
struct GuideView: View {
    static let steps = [
        "On a computer, open mysignins.microsoft.com/security-info and sign in with your work or NHSmail address.",
        "Choose “Add sign-in method”, then “Authenticator app”.",
        "Microsoft suggests its own app: choose “I want to use a different authenticator app”, then Next.",
        "A QR code appears. In Tessera tap + and point the camera at it.",
        "Tessera shows the new account with a 6-digit code. On the computer choose Next and type that code.",
        "Optional: under “Default sign-in method” choose “Authenticator app or hardware token – code”.",
    ]

    var body: some View {
        List {
            Section("Microsoft 365 and NHSmail") {
                ForEach(Array(Self.steps.enumerated()), id: \.offset) { index, step in
                    Text("\(index + 1). \(step)")
                }
            }
            Section {
                Text("Can't scan? Choose “Can't scan image?” on the computer, then in Tessera use “Paste or type” with the account name and secret key it shows.")
                Text("If your organisation only allows Microsoft Authenticator notifications, ask your IT service desk (NHSmail: your local administrator) to allow an authenticator app code.")
                    .font(.footnote)
            }
        }
        .navigationTitle("Microsoft 365 / NHSmail")
    }
}
