//! Telling what went wrong with text in the wrong encoding. GeoJSON is UTF-8 (RFC 8259), but
//! Chinese offices often export GBK (GB18030): as bytes that are not UTF-8 at all, or — worse —
//! as bytes that happen to be valid UTF-8 and read as letters of other scripts ("住宅" in GBK reads
//! as "סլ"), which no parser notices. These functions name both.

/// What a file's bytes say of its encoding, when it is not UTF-8 (checked on error paths only:
/// validating a large file costs a fraction of a second).
pub fn file_encoding_problem(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Some(
            "the file is UTF-16, not UTF-8: save it again as UTF-8 (GeoJSON must be UTF-8)"
                .to_owned(),
        );
    }
    if bytes.iter().take(4096).filter(|byte| **byte == 0).count() > 16 {
        return Some(
            "the file holds NUL bytes, as UTF-16 text does: save it again as UTF-8 (GeoJSON must be UTF-8)"
                .to_owned(),
        );
    }
    let error = std::str::from_utf8(bytes).err()?;
    // A character cut at the end of the bytes is not an encoding problem.
    error.error_len()?;
    let start = error.valid_up_to().saturating_sub(24);
    let end = (error.valid_up_to() + 24).min(bytes.len());
    let (decoded, _, had_errors) = encoding_rs::GB18030.decode(&bytes[start..end]);
    Some(if had_errors {
        "the file is not UTF-8 (GeoJSON must be UTF-8): convert it to UTF-8, or open the layer in its own format with its encoding".to_owned()
    } else {
        format!(
            "the file is not UTF-8 and looks like GBK/GB18030 (the text near the problem reads \"{}\" as GBK): convert it to UTF-8 (iconv -f GB18030 -t UTF-8, or QGIS: Save Features As… with encoding UTF-8)",
            decoded
                .trim()
                .chars()
                .filter(|character| !character.is_control())
                .collect::<String>()
        )
    })
}

/// True for characters a Chinese layer's text is made of: ASCII, CJK ideographs, CJK and
/// full-width punctuation.
fn is_expected(character: char) -> bool {
    character.is_ascii()
        || matches!(character as u32,
            0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
            | 0x2000..=0x206F | 0x00B7)
}

/// When `text` reads like GBK bytes taken for UTF-8, that Chinese reading: the text holds letters
/// of scripts past Latin (Greek, Cyrillic, Armenian, Hebrew, Arabic: where GBK's common
/// characters land when read as UTF-8) and nothing a Chinese layer would hold besides ASCII, and
/// its bytes are clean GB18030 of Chinese characters. Accented Latin (Porto's "São João") is
/// never taken for GBK.
pub fn misread_gbk(text: &str) -> Option<String> {
    let past_latin = |character: char| ('\u{0370}'..='\u{07FF}').contains(&character);
    if text.is_ascii()
        || !text.chars().any(past_latin)
        || text
            .chars()
            .any(|character| !character.is_ascii() && is_expected(character))
    {
        return None;
    }
    let (decoded, _, had_errors) = encoding_rs::GB18030.decode(text.as_bytes());
    let chinese = !decoded.is_ascii();
    (!had_errors && chinese && decoded.chars().all(is_expected)).then(|| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(text).0.into_owned()
    }

    #[test]
    fn gbk_bytes_that_happen_to_be_utf8_are_read_back_as_chinese() {
        let bytes = gbk("住宅");
        let misread = std::str::from_utf8(&bytes).expect("these GBK bytes are valid UTF-8");
        assert_eq!(misread_gbk(misread).as_deref(), Some("住宅"));
    }

    #[test]
    fn real_chinese_latin_and_other_scripts_are_not_taken_for_gbk() {
        for text in [
            "住宅",
            "residential",
            "Café",
            "Rua de São João",
            "商住楼（一期）",
        ] {
            assert_eq!(misread_gbk(text), None, "{text}");
        }
    }

    #[test]
    fn a_gbk_file_is_named_as_gbk_and_utf16_as_utf16() {
        let mut file =
            br#"{"type":"FeatureCollection","features":[{"properties":{"name":""#.to_vec();
        file.extend(gbk("滕王阁街道社区"));
        file.extend(br#""}}]}"#);
        let problem = file_encoding_problem(&file).expect("not UTF-8");
        assert!(
            problem.contains("GBK") && problem.contains("滕王阁"),
            "{problem}"
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{\"type\"".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(
            file_encoding_problem(&utf16)
                .expect("UTF-16")
                .contains("UTF-16")
        );
        assert_eq!(
            file_encoding_problem("{\"name\":\"住宅\"}".as_bytes()),
            None
        );
    }
}
