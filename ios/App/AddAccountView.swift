import AVFoundation
import CoreImage
import PhotosUI
import SwiftUI
import TesseraLogic

/// Add an account: scan with the camera, paste or type a link (or the secret key shown under
/// "Can't scan?"), or pick a screenshot of a QR code. What was found is shown before it is saved.
struct AddAccountView: View {
    let services: AppServices
    @StateObject private var store: AddAccountStore
    @EnvironmentObject private var session: AppSession
    @Environment(\.dismiss) private var dismiss
    @State private var mode = 0
    @State private var link = ""
    @State private var issuer = ""
    @State private var account = ""
    @State private var secret = ""
    @State private var photo: PhotosPickerItem?
    @State private var error: String?
    @State private var enrolling = false

    init(services: AppServices) {
        self.services = services
        _store = StateObject(wrappedValue: AddAccountStore(parser: services.parser))
    }

    var body: some View {
        Form {
            switch store.state {
            case .found(let accounts, let links):
                Section("Add \(accounts.count) account\(accounts.count == 1 ? "" : "s")?") {
                    ForEach(Array(accounts.enumerated()), id: \.offset) { _, a in
                        VStack(alignment: .leading) {
                            Text(a.issuer.isEmpty ? a.accountName : a.issuer).font(.headline)
                            if !a.issuer.isEmpty { Text(a.accountName) }
                            Text(describe(a)).font(.caption).foregroundStyle(.secondary)
                        }
                    }
                }
                Section {
                    Button("Save") { save(links) }.buttonStyle(.borderedProminent)
                    Button("Cancel", role: .cancel) { store.model.reset() }
                }
            case .pushToken(let token):
                Section("Turn on sign-in approvals?") {
                    Text(token.issuer.isEmpty ? token.label : token.issuer).font(.headline)
                    Text("Sign-in requests will come from \(token.server). Approve only sign-ins you started yourself.")
                        .font(.caption)
                }
                if let error { Text(error).foregroundStyle(.red) }
                Section {
                    Button(enrolling ? "Connecting…" : "Turn on") { enroll(token) }
                        .buttonStyle(.borderedProminent)
                        .disabled(enrolling)
                    Button("Cancel", role: .cancel) { store.model.reset() }.disabled(enrolling)
                }
            default:
                Picker("How", selection: $mode) {
                    Text("Scan").tag(0)
                    Text("Paste or type").tag(1)
                    Text("From image").tag(2)
                }
                .pickerStyle(.segmented)
                if case .invalid(let lines, let problem) = store.state {
                    Text("Line \(lines.map(String.init).joined(separator: ", ")): \(problemText(problem))").foregroundStyle(.red)
                }
                if let error { Text(error).foregroundStyle(.red) }
                switch mode {
                case 0:
                    QRScannerView { store.model.scanned($0) }
                        .frame(height: 320)
                        .accessibilityLabel("Camera. Point it at the QR code.")
                case 1:
                    Section("otpauth:// link") {
                        TextField("otpauth://…", text: $link, axis: .vertical).textInputAutocapitalization(.never).autocorrectionDisabled()
                        Button("Paste") { link = UIPasteboard.general.string ?? "" }
                        Button("Continue") { store.model.submit(text: link) }.disabled(link.isEmpty)
                    }
                    Section("Or what the website shows under “Can't scan?”") {
                        TextField("Service (e.g. Microsoft)", text: $issuer)
                        TextField("Account name", text: $account).textInputAutocapitalization(.never)
                        SecureField("Secret key", text: $secret)
                        Button("Continue") {
                            store.model.submit(text: ManualEntry.uri(issuer: issuer, accountName: account, secret: secret))
                        }
                        .disabled(account.isEmpty || secret.isEmpty)
                    }
                default:
                    PhotosPicker("Choose a screenshot of the QR code", selection: $photo, matching: .images)
                    NavigationLink("Import another app's export file") { BackupView(services: services) }
                }
            }
        }
        .navigationTitle("Add account")
        .onChange(of: photo) { item in
            guard let item else { return }
            Task {
                let data = try? await item.loadTransferable(type: Data.self)
                if let payload = data.flatMap(QRImageDecoder.decode) {
                    store.model.submit(text: payload)
                } else {
                    error = "No QR code found in that image."
                }
            }
        }
        .onAppear {
            if let incoming = session.incomingLink {
                store.model.submit(text: incoming)
                session.incomingLink = nil
            }
        }
    }

    private func describe(_ a: AccountPreview) -> String {
        switch a.type {
        case .totp: return "\(a.digits) digits, every \(a.periodSeconds ?? 30) s · \(a.algorithm)"
        case .hotp: return "\(a.digits) digits, counter-based · \(a.algorithm)"
        case .steam: return "Steam Guard"
        }
    }

    /// Enrols a push token off the main thread (the device key is made and sent to the server).
    @MainActor private func enroll(_ token: PushTokenPreview) {
        enrolling = true
        error = nil
        let enroller = services.pushEnroller
        Task {
            let outcome = await Task.detached { Result { try enroller.enroll(link: token.link) } }.value
            enrolling = false
            switch outcome {
            case .success:
                store.model.reset()
                dismiss()
            case .failure(let failure):
                error = problemText((failure as? Problem) ?? .unknown)
            }
        }
    }

    private func save(_ links: [String]) {
        do {
            _ = try services.accounts.add(links: links)
            store.model.reset()
            dismiss()
        } catch {
            self.error = problemText((error as? Problem) ?? .unknown)
        }
    }
}

/// QR codes in still images (screenshots), with Core Image.
enum QRImageDecoder {
    static func decode(_ data: Data) -> String? {
        guard let image = CIImage(data: data),
              let detector = CIDetector(ofType: CIDetectorTypeQRCode, context: nil, options: [CIDetectorAccuracy: CIDetectorAccuracyHigh])
        else { return nil }
        return detector.features(in: image).compactMap { ($0 as? CIQRCodeFeature)?.messageString }.first
    }
}

/// The camera preview with AVFoundation's QR detection; reports each payload it reads.
struct QRScannerView: UIViewRepresentable {
    let onPayload: (String) -> Void

    func makeCoordinator() -> Coordinator { Coordinator(onPayload: onPayload) }

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        context.coordinator.start(in: view)
        return view
    }

    func updateUIView(_ uiView: PreviewView, context: Context) {}

    static func dismantleUIView(_ uiView: PreviewView, coordinator: Coordinator) { coordinator.stop() }

    final class PreviewView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        var previewLayer: AVCaptureVideoPreviewLayer { layer as! AVCaptureVideoPreviewLayer } // layerClass above
    }

    final class Coordinator: NSObject, AVCaptureMetadataOutputObjectsDelegate {
        private let session = AVCaptureSession()
        private let onPayload: (String) -> Void
        private let queue = DispatchQueue(label: "org.tessera.camera")

        init(onPayload: @escaping (String) -> Void) { self.onPayload = onPayload }

        func start(in view: PreviewView) {
            view.previewLayer.session = session
            view.previewLayer.videoGravity = .resizeAspectFill
            AVCaptureDevice.requestAccess(for: .video) { [weak self] granted in
                guard granted, let self else { return }
                self.queue.async { self.configureAndRun() }
            }
        }

        func stop() { queue.async { self.session.stopRunning() } }

        private func configureAndRun() {
            guard let device = AVCaptureDevice.default(for: .video),
                  let input = try? AVCaptureDeviceInput(device: device), session.canAddInput(input) else { return }
            session.beginConfiguration()
            session.addInput(input)
            let output = AVCaptureMetadataOutput()
            if session.canAddOutput(output) {
                session.addOutput(output)
                output.setMetadataObjectsDelegate(self, queue: .main)
                output.metadataObjectTypes = [.qr]
            }
            session.commitConfiguration()
            session.startRunning()
        }

        func metadataOutput(_ output: AVCaptureMetadataOutput, didOutput objects: [AVMetadataObject], from connection: AVCaptureConnection) {
            for case let code as AVMetadataMachineReadableCodeObject in objects {
                if let payload = code.stringValue { onPayload(payload) }
            }
        }
    }
}
