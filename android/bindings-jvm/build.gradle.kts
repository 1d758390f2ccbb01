// The generated API for a desktop JVM (bindings/uniffi-jvm.toml: android = false), so the `logic`
// module compiles and runs its tests on the build machine against the host libtessera.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(libs.versions.jvmTarget.get().toInt())
    sourceSets.named("main") { kotlin.srcDir(layout.projectDirectory.dir("generated/kotlin")) }
}

dependencies {
    api(libs.jna)
}
