//! `--scenario NAME`: the scenario (方案) a command works on.

/// Makes `scenario` the session's active scenario, or says which the plan has.
pub fn choose_scenario(
    session: &mut shequ_core::Session,
    scenario: Option<&str>,
) -> anyhow::Result<()> {
    if let Some(name) = scenario {
        session
            .switch_scenario(name)
            .map_err(|error| anyhow::anyhow!("--scenario: {error}"))?;
    }
    Ok(())
}
