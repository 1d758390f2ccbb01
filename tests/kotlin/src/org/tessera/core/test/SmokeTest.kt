package org.tessera.core.test

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.tessera.core.coreVersion

class SmokeTest {
    @Test
    fun `library loads and reports its version`() {
        assertEquals(3, coreVersion().split('.').size)
    }
}
