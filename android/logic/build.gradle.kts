// Plain-Kotlin view models (no Android): compiled against the desktop-JVM flavour of the generated
// API, which the app replaces at runtime with the AAR's identical API. Tests run on the JVM with
// JUnit 5 against the host libtessera (target/debug), the same code tests/kotlin/run compiles.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(libs.versions.jvmTarget.get().toInt())
}

dependencies {
    // compileOnly: the app supplies org.tessera.core from the AAR; packaging both would clash.
    compileOnly(project(":bindings-jvm"))
    testImplementation(project(":bindings-jvm"))
    testImplementation(libs.junit.jupiter)
    testRuntimeOnly(libs.junit.platform.launcher)
}

tasks.test {
    useJUnitPlatform()
    // Where JNA finds libtessera.so/.dylib: -Ptessera.hostLibDir=..., default the workspace's debug build.
    val hostLibDir = providers.gradleProperty("tessera.hostLibDir")
        .orElse(rootDir.resolve("../target/debug").absolutePath)
    systemProperty("jna.library.path", hostLibDir.get())
    testLogging { events("passed", "failed", "skipped") }
}
