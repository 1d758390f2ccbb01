import SwiftUI
import TesseraLogic
import UniformTypeIdentifiers

/// Encrypted backup (export), import from a backup or another app's export, and verify-backup.
struct BackupView: View {
    let services: AppServices
    @State private var password = ""
    @State private var confirm = ""
    @State private var filePassword = ""
    @State private var status: String?
    @State private var report: ImportReportView?
    @State private var exportDocument: BackupDocument?
    @State private var picking: Pick?

    private enum Pick: Identifiable {
        case importFile, verify
        var id: Int { self == .importFile ? 0 : 1 }
    }

    /// Largest file read for import or verification (exports are kilobytes).
    private static let maxFileBytes = 16 * 1024 * 1024

    var body: some View {
        Form {
            Section(header: Text("Back up"),
                    footer: Text("A backup is encrypted with a password you choose. Without it nobody — including you — can open it.")) {
                SecureField("Backup password", text: $password)
                SecureField("Repeat the password", text: $confirm)
                if !password.isEmpty && password.count < 8 { Text("Use at least 8 characters.").font(.caption) }
                Button("Save backup…") { makeBackup() }.disabled(password.count < 8 || password != confirm)
            }
            Section(header: Text("Import or verify"),
                    footer: Text("Import a Tessera backup or an export from Google Authenticator, Aegis, 2FAS and others. Verify opens a backup with its password without changing anything.")) {
                SecureField("File password (if it has one)", text: $filePassword)
                Button("Import a file…") { picking = .importFile }
                Button("Verify a backup…") { picking = .verify }.disabled(filePassword.isEmpty)
            }
            if let status { Section { Text(status) } }
            if let report {
                ForEach(report.sections, id: \.heading) { section in
                    Section(section.heading) { ForEach(section.lines, id: \.self) { Text($0) } }
                }
            }
        }
        .navigationTitle("Backup")
        .fileExporter(isPresented: Binding(get: { exportDocument != nil }, set: { if !$0 { exportDocument = nil } }),
                      document: exportDocument, contentType: .data, defaultFilename: "tessera-backup.tessera") { result in
            if case .success = result {
                status = "Backup saved. Check it with “Verify a backup”, and keep the password somewhere safe."
                password = ""
                confirm = ""
            }
        }
        .fileImporter(isPresented: Binding(get: { picking != nil }, set: { if !$0 { picking = nil } }),
                      allowedContentTypes: [.data, .json, .plainText, .text]) { result in
            let pick = picking
            guard case .success(let url) = result else { return }
            handle(url, pick: pick)
        }
    }

    private func makeBackup() {
        do {
            exportDocument = BackupDocument(data: try services.backup.export(password: password))
        } catch {
            status = problemText((error as? Problem) ?? .unknown)
        }
    }

    private func handle(_ url: URL, pick: Pick?) {
        let scoped = url.startAccessingSecurityScopedResource()
        defer { if scoped { url.stopAccessingSecurityScopedResource() } }
        do {
            let size = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
            guard size <= Self.maxFileBytes else { throw Problem.corrupted }
            let data = try Data(contentsOf: url)
            switch pick {
            case .importFile?:
                let result = try services.backup.importFile(data, fileName: url.lastPathComponent, password: filePassword.isEmpty ? nil : filePassword)
                let view = ImportReportView(result)
                report = view
                status = view.headline
            case .verify?:
                status = try services.backup.verify(data, password: filePassword).message
            case nil:
                break
            }
        } catch let problem as Problem {
            status = problemText(problem)
        } catch {
            status = "The file could not be read."
        }
    }
}

/// The bytes of a backup, for `fileExporter`.
struct BackupDocument: FileDocument {
    static var readableContentTypes: [UTType] { [.data] }
    let data: Data
    init(data: Data) { self.data = data }
    init(configuration: ReadConfiguration) throws { data = configuration.file.regularFileContents ?? Data() }
    func fileWrapper(configuration: WriteConfiguration) throws -> FileWrapper { FileWrapper(regularFileWithContents: data) }
}
