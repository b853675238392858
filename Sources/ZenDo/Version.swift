import TOML

/// The version of zen-do, shown in `--version` and the User-Agent.
public let zenDoVersion = "0.1.0-dev"
