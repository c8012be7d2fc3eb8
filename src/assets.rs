//! Image assets: tiny valid PNG files that image references point at.

/// A 1x1 RGB PNG whose colour is derived from `k`, so assets differ.
pub fn png(k: u64) -> Vec<u8> {
    let rgb = [
        (k * 67 % 256) as u8,
        (k * 131 % 256) as u8,
        (k * 199 % 256) as u8,
    ];
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    // zlib stream with one stored block: filter byte 0, then the pixel.
    let raw = [0, rgb[0], rgb[1], rgb[2]];
    let mut z = vec![0x78, 0x01, 0x01, 4, 0, !4u8, 0xff];
    z.extend_from_slice(&raw);
    z.extend_from_slice(&adler32(&raw).to_be_bytes());
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &d in data {
        a = (a + d as u32) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    #[test]
    fn png_has_signature_and_known_crc() {
        let p = super::png(0);
        assert_eq!(&p[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(super::crc32(b"IEND"), 0xae42_6082);
    }
}
