package org.tessera.app.ui

import android.content.ContentResolver
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.net.Uri
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import com.google.zxing.BarcodeFormat
import com.google.zxing.BinaryBitmap
import com.google.zxing.DecodeHintType
import com.google.zxing.LuminanceSource
import com.google.zxing.MultiFormatReader
import com.google.zxing.NotFoundException
import com.google.zxing.PlanarYUVLuminanceSource
import com.google.zxing.RGBLuminanceSource
import com.google.zxing.common.HybridBinarizer

/** QR decoding with ZXing (no Google Play services), for camera frames and for picked images. */
object QrDecoder {
    private val hints = mapOf(
        DecodeHintType.POSSIBLE_FORMATS to listOf(BarcodeFormat.QR_CODE),
        DecodeHintType.TRY_HARDER to true,
    )

    /** The QR payload in [source], or `null`. */
    fun decode(source: LuminanceSource): String? {
        val reader = MultiFormatReader().apply { setHints(hints) }
        return try {
            reader.decodeWithState(BinaryBitmap(HybridBinarizer(source))).text
        } catch (_: NotFoundException) {
            // Screenshots of dark-mode pages have light-on-dark codes.
            try {
                reader.decodeWithState(BinaryBitmap(HybridBinarizer(source.invert()))).text
            } catch (_: NotFoundException) {
                null
            }
        } finally {
            reader.reset()
        }
    }

    /** Decodes a picked image (a screenshot of a QR code), downscaled to at most 2048 px. */
    fun decode(resolver: ContentResolver, uri: Uri): String? {
        val bounds = BitmapFactory.Options().apply { inJustDecodeBounds = true }
        resolver.openInputStream(uri)?.use { BitmapFactory.decodeStream(it, null, bounds) } ?: return null
        var sample = 1
        while (maxOf(bounds.outWidth, bounds.outHeight) / sample > 2048) sample *= 2
        val bitmap: Bitmap = resolver.openInputStream(uri)?.use {
            BitmapFactory.decodeStream(it, null, BitmapFactory.Options().apply { inSampleSize = sample })
        } ?: return null
        val pixels = IntArray(bitmap.width * bitmap.height)
        bitmap.getPixels(pixels, 0, bitmap.width, 0, 0, bitmap.width, bitmap.height)
        return decode(RGBLuminanceSource(bitmap.width, bitmap.height, pixels))
    }

    /** A CameraX analyzer that reports each decoded payload (the luminance plane is enough for QR). */
    class Analyzer(private val onFound: (String) -> Unit) : ImageAnalysis.Analyzer {
        override fun analyze(image: ImageProxy) {
            image.use {
                val plane = it.planes[0]
                val buffer = plane.buffer
                val data = ByteArray(buffer.remaining()).also(buffer::get)
                val source = PlanarYUVLuminanceSource(
                    data, plane.rowStride, it.height, 0, 0, it.width, it.height, false,
                )
                decode(source)?.let(onFound)
            }
        }
    }
}
