import ArgumentParser
import ZenDo

/// `--api records|legacy` on the command line.
extension ZenodoAPI: ExpressibleByArgument {}
