import TOML

/// The version of zen-do, shown in `--version` and the User-Agent.
public let zenDoVersion = "0.1.0-dev"

/// The address of zen-do's own repository, the one place that names it: the User-Agent says
/// it, `scripts/project-info` reads this line for the GitHub action's release downloads and
/// `scripts/check-repository` holds the docs to it.
///
/// `PLACEHOLDER_OWNER` marks that the project's published address is not decided yet; it can
/// never name another project (GitHub account names have no `_`). Set it where zen-do is
/// published.
public let zenDoRepository = "https://github.com/PLACEHOLDER_OWNER/zen-do"
