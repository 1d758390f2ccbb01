// Adapters from the logic module's interfaces (CodeSource, AccountStore, BackupService, ApprovalSource,
// PushInbox, TimeService, UriParser) and the KeyWrapper bridge to the generated
// API (org.tessera.core). Kept apart from `logic` so the view models stay pure Kotlin, testable with
// fakes and no native library; these tests run against the host libtessera.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(libs.versions.jvmTarget.get().toInt())
}

dependencies {
    api(project(":logic"))
    // compileOnly: the app supplies org.tessera.core from the AAR; packaging both would clash.
    compileOnly(project(":bindings-jvm"))
    testImplementation(project(":bindings-jvm"))
    testImplementation(libs.junit.jupiter)
    testRuntimeOnly(libs.junit.platform.launcher)
}

tasks.test {
    useJUnitPlatform()
    // Where JNA finds libtessera: -Ptessera.hostLibDir=..., default the workspace's debug build.
    val hostLibDir = providers.gradleProperty("tessera.hostLibDir")
        .orElse(rootDir.resolve("../target/debug").absolutePath)
    systemProperty("jna.library.path", hostLibDir.get())
    testLogging { events("passed", "failed", "skipped") }
}
