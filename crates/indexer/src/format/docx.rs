pub fn is_docx(_b: &[u8]) -> bool {
    false
}
