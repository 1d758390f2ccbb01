//! A bounded reader for the one Java serialization shape FreeOTP 2 backups use: a
//! `java.util.HashMap<String, String>` (Java Object Serialization Stream Protocol, version 5).
//!
//! Only what that shape needs is understood: a class descriptor with primitive fields, the
//! map's block data (capacity, size) and `String` keys and values (`TC_STRING`, `TC_LONGSTRING`,
//! back-references, `TC_NULL`). Anything else is an error. Every length is checked against the
//! bytes that remain, so hostile sizes cannot allocate.

const MAGIC: [u8; 4] = [0xac, 0xed, 0x00, 0x05];
const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_LONGSTRING: u8 = 0x7c;
const BASE_HANDLE: u32 = 0x7e_0000;
/// Most map entries read.
const MAX_ENTRIES: usize = 100_000;
/// Most primitive fields in the class descriptor.
const MAX_FIELDS: usize = 64;

/// Why the stream could not be read (no content is ever quoted).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct SerError(&'static str);

/// True when `bytes` starts a Java serialization stream.
pub(crate) fn looks_like(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Objects by handle: `Some` for strings, `None` for other objects.
    handles: Vec<Option<String>>,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SerError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or(SerError("the file is truncated"))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, SerError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, SerError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, SerError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, SerError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }
    /// A modified-UTF-8 string of `len` bytes.
    fn utf(&mut self, len: usize) -> Result<String, SerError> {
        decode_modified_utf8(self.take(len)?)
    }
    fn short_utf(&mut self) -> Result<String, SerError> {
        let n = self.u16()? as usize;
        self.utf(n)
    }

    /// A string object, a reference to one, or null.
    fn string(&mut self) -> Result<Option<String>, SerError> {
        match self.u8()? {
            TC_STRING => {
                let s = self.short_utf()?;
                self.handles.push(Some(s.clone()));
                Ok(Some(s))
            }
            TC_LONGSTRING => {
                let n =
                    usize::try_from(self.u64()?).map_err(|_| SerError("the file is truncated"))?;
                let s = self.utf(n)?;
                self.handles.push(Some(s.clone()));
                Ok(Some(s))
            }
            TC_REFERENCE => {
                let h = self.u32()?.wrapping_sub(BASE_HANDLE) as usize;
                match self.handles.get(h) {
                    Some(Some(s)) => Ok(Some(s.clone())),
                    _ => Err(SerError("a reference to an unknown string")),
                }
            }
            TC_NULL => Ok(None),
            _ => Err(SerError("a map entry is not a string")),
        }
    }
}

/// Decodes Java's modified UTF-8 (`C0 80` for NUL, surrogates encoded one by one).
fn decode_modified_utf8(b: &[u8]) -> Result<String, SerError> {
    const BAD: SerError = SerError("a string is not valid modified UTF-8");
    let mut units: Vec<u16> = Vec::with_capacity(b.len());
    let mut i = 0;
    let cont = |x: Option<&u8>| match x {
        Some(&c) if c & 0xc0 == 0x80 => Ok(u16::from(c & 0x3f)),
        _ => Err(BAD),
    };
    while i < b.len() {
        let c = b[i];
        if c & 0x80 == 0 {
            units.push(u16::from(c));
            i += 1;
        } else if c & 0xe0 == 0xc0 {
            units.push((u16::from(c & 0x1f) << 6) | cont(b.get(i + 1))?);
            i += 2;
        } else if c & 0xf0 == 0xe0 {
            units.push(
                (u16::from(c & 0x0f) << 12) | (cont(b.get(i + 1))? << 6) | cont(b.get(i + 2))?,
            );
            i += 3;
        } else {
            return Err(BAD);
        }
    }
    String::from_utf16(&units).map_err(|_| BAD)
}

/// Reads a serialized `HashMap<String, String>` into its entries, in stream order.
pub(crate) fn read_string_map(bytes: &[u8]) -> Result<Vec<(String, String)>, SerError> {
    if !looks_like(bytes) {
        return Err(SerError("not a Java serialization stream"));
    }
    let mut r = Reader {
        buf: bytes,
        pos: MAGIC.len(),
        handles: Vec::new(),
    };
    if r.u8()? != TC_OBJECT || r.u8()? != TC_CLASSDESC {
        return Err(SerError("the stream does not start with an object"));
    }
    let class = r.short_utf()?;
    if class != "java.util.HashMap" {
        return Err(SerError("the stream holds something other than a HashMap"));
    }
    r.u64()?; // serialVersionUID
    r.handles.push(None); // the class descriptor
    r.u8()?; // flags
    let nfields = r.u16()? as usize;
    if nfields > MAX_FIELDS {
        return Err(SerError("too many fields in the class descriptor"));
    }
    let mut field_bytes = 0usize;
    for _ in 0..nfields {
        let size = match r.u8()? {
            b'B' | b'Z' => 1,
            b'C' | b'S' => 2,
            b'I' | b'F' => 4,
            b'J' | b'D' => 8,
            _ => return Err(SerError("the HashMap descriptor has an object field")),
        };
        r.short_utf()?;
        field_bytes += size;
    }
    if r.u8()? != TC_ENDBLOCKDATA || r.u8()? != TC_NULL {
        return Err(SerError("unexpected class annotation or superclass"));
    }
    r.handles.push(None); // the map object
    r.take(field_bytes)?;
    if r.u8()? != TC_BLOCKDATA {
        return Err(SerError("the map has no size block"));
    }
    let block = r.u8()? as usize;
    if block < 8 {
        return Err(SerError("the map's size block is too short"));
    }
    r.u32()?; // capacity
    let size = r.u32()? as usize;
    r.take(block - 8)?;
    if size > MAX_ENTRIES {
        return Err(SerError("the map has too many entries"));
    }
    let mut out = Vec::new();
    for _ in 0..size {
        let k = r.string()?;
        let v = r.string()?;
        if let (Some(k), Some(v)) = (k, v) {
            out.push((k, v));
        }
    }
    if r.u8()? != TC_ENDBLOCKDATA {
        return Err(SerError("the map does not end where its size says"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream as Android writes it: HashMap with a float loadFactor field.
    fn stream(entries: &[(&str, &str)], declared: u32) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.extend([TC_OBJECT, TC_CLASSDESC, 0, 17]);
        b.extend(b"java.util.HashMap");
        b.extend([
            0x05, 0x07, 0xda, 0xc1, 0xc3, 0x16, 0x60, 0xd1, 0x03, 0, 1, b'F', 0, 10,
        ]);
        b.extend(b"loadFactor");
        b.extend([
            TC_ENDBLOCKDATA,
            TC_NULL,
            0x3f,
            0x40,
            0,
            0,
            TC_BLOCKDATA,
            8,
            0,
            0,
            0,
            16,
        ]);
        b.extend(declared.to_be_bytes());
        for (k, v) in entries {
            for s in [k, v] {
                b.push(TC_STRING);
                b.extend((s.len() as u16).to_be_bytes());
                b.extend(s.as_bytes());
            }
        }
        b.push(TC_ENDBLOCKDATA);
        b
    }

    #[test]
    fn reads_a_map_and_references() {
        let mut b = stream(&[("a", "1")], 2);
        b.pop();
        b.extend([TC_STRING, 0, 2, 0xc3, 0xa9]); // "é"
        b.extend([TC_REFERENCE, 0x00, 0x7e, 0x00, 0x02]); // -> "a"
        b.push(TC_ENDBLOCKDATA);
        let m = read_string_map(&b).unwrap();
        assert_eq!(m, vec![("a".into(), "1".into()), ("é".into(), "a".into())]);
    }

    #[test]
    fn hostile_streams_fail_cleanly() {
        let good = stream(&[("k", "v")], 1);
        for cut in 0..good.len() {
            assert!(read_string_map(&good[..cut]).is_err(), "cut at {cut}");
        }
        assert!(read_string_map(&stream(&[], u32::MAX)).is_err());
        assert!(read_string_map(&stream(&[("k", "v")], 2)).is_err());
        let mut long = stream(&[], 1);
        long.pop();
        long.push(TC_LONGSTRING);
        long.extend(u64::MAX.to_be_bytes());
        assert!(read_string_map(&long).is_err());
        let mut bad_ref = stream(&[], 1);
        bad_ref.pop();
        bad_ref.extend([TC_REFERENCE, 0xff, 0xff, 0xff, 0xff]);
        assert!(read_string_map(&bad_ref).is_err());
        assert!(decode_modified_utf8(&[0xc3]).is_err());
        assert_eq!(decode_modified_utf8(&[0xc0, 0x80]).unwrap(), "\0");
    }
}
