import SwiftUI

/// The new vault's recovery key, shown once on the first launch. It opens the vault if this
/// iPhone's key is lost (passcode removed, Face ID reset) or on a new phone; Tessera never shows it
/// again. It is not copied to the pasteboard (other apps could read it) and the sheet cannot be
/// swiped away: the user confirms they wrote it down.
struct RecoveryKeyView: View {
    let key: String
    let done: () -> Void

    /// The key in lines of four groups, for writing down.
    private var lines: [String] {
        let groups = key.split(separator: "-").map(String.init)
        return stride(from: 0, to: groups.count, by: 4).map { groups[$0..<min($0 + 4, groups.count)].joined(separator: " ") }
    }

    var body: some View {
        NavigationStack {
            VStack(alignment: .leading, spacing: 20) {
                Text("Write down your recovery key").font(.title2.bold())
                Text("If this iPhone's key is ever lost, or you move to a new phone, this key opens your codes. Keep it on paper somewhere safe. Tessera will not show it again.")
                VStack(alignment: .leading, spacing: 6) {
                    ForEach(lines, id: \.self) { Text($0).font(.system(.title3, design: .monospaced)) }
                }
                .padding()
                .frame(maxWidth: .infinity, alignment: .leading)
                .background(RoundedRectangle(cornerRadius: 12).fill(Color.secondary.opacity(0.12)))
                .accessibilityElement(children: .ignore)
                .accessibilityLabel("Recovery key: " + key.map { $0 == "-" ? ", " : String($0) + " " }.joined())
                .textSelection(.disabled)
                Spacer()
                Button("I have written it down", action: done)
                    .buttonStyle(.borderedProminent)
                    .frame(maxWidth: .infinity)
            }
            .padding(24)
            .interactiveDismissDisabled(true)
        }
    }
}
