/// The `.zenodo.toml` text the command tests write: valid metadata, with the first lines and
/// the file list chosen by the test.
public enum TOMLFixture {
  /// The text: `head` (the title and anything before `upload_type`, one key per line) on
  /// lines 1 and on, the identity `urn`, and `files` as the `[zen-do].files` list.
  public static func text(
    head: String = "title = \"A title\"", urn: String, files: String
  ) -> String {
    """
    \(head)
    upload_type = "dataset"
    description = "A description."
    publication_date = 2026-11-21
    access_right = "open"
    license = "cc-by-4.0"

    [[creators]]
    name = "Doe, Jane"

    [[related_identifiers]]
    identifier = "\(urn)"
    relation = "isIdenticalTo"
    scheme = "urn"

    [zen-do]
    files = \(files)

    """
  }
}
