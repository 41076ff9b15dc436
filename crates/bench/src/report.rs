pub fn write(
    _: &[std::path::PathBuf],
    _: &std::path::Path,
    _: &std::path::Path,
    _: Option<&std::path::Path>,
    _: &str,
) -> anyhow::Result<()> {
    Ok(())
}
