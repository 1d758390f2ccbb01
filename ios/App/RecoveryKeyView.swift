import SwiftUI
import TesseraLogic

/// A recovery key, shown once: the new vault's on the first launch, a fresh one when the last was
/// never confirmed as saved, or one made from Settings. It opens the vault if this iPhone's key is
/// lost (passcode removed, Face ID reset) or on a new phone; Tessera never shows it again. It is not
/// copied to the pasteboard (other apps could read it) and the sheet cannot be swiped away: the user
/// confirms they wrote it down.
struct RecoveryKeyView: View {
    let key: ShownRecoveryKey
    let done: () -> Void

    var body: some View {
        NavigationStack {
            VStack(alignment: .leading, spacing: 20) {
                Text(key.firstRun ? "Write down your recovery key" : "Write down your new recovery key").font(.title2.bold())
                Text("If this iPhone's key is ever lost, or you move to a new phone, this key opens your codes. Keep it on paper somewhere safe. Tessera will not show it again"
                     + (key.firstRun ? "." : "; your old key no longer works."))
                VStack(alignment: .leading, spacing: 6) {
                    ForEach(key.lines, id: \.self) { Text($0).font(.system(.title3, design: .monospaced)) }
                }
                .padding()
                .frame(maxWidth: .infinity, alignment: .leading)
                .background(RoundedRectangle(cornerRadius: 12).fill(Color.secondary.opacity(0.12)))
                .accessibilityElement(children: .ignore)
                .accessibilityLabel("Recovery key: " + key.spoken)
                .textSelection(.disabled)
                if key.firstRun {
                    Text("Until you confirm, Tessera makes a new key each time it opens.").font(.footnote).foregroundStyle(.secondary)
                }
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

/// Presents `RecoveryKeyStore`'s state over the app: the confirmation step ("the old key stops
/// working"), a failure, and the key sheet. The bindings' setters do nothing: every way out is a
/// button that tells the model, which decides what comes next.
struct RecoveryKeyPresenter: View {
    @ObservedObject var store: RecoveryKeyStore

    private var failure: Problem? {
        if case .failed(let problem) = store.state { return problem }
        return nil
    }

    var body: some View {
        Color.clear
            .frame(width: 0, height: 0)
            .accessibilityHidden(true)
            .alert(RecoveryKeyModel.confirmTitle, isPresented: Binding(get: { store.state == .confirming }, set: { _ in })) {
                Button("Make a new key", role: .destructive) { store.model.confirmNew() }
                Button("Cancel", role: .cancel) { store.model.cancel() }
            } message: {
                Text(RecoveryKeyModel.confirmText)
            }
            .alert("No new recovery key", isPresented: Binding(get: { failure != nil }, set: { _ in })) {
                Button("OK", role: .cancel) { store.model.cancel() }
            } message: {
                Text(problemText(failure ?? .unknown) + " Your current recovery key still works.")
            }
            .sheet(isPresented: Binding(get: { store.state.shown != nil }, set: { _ in })) {
                if let shown = store.state.shown {
                    RecoveryKeyView(key: shown) { store.model.saved() }
                }
            }
    }
}
