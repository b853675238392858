import Foundation
import TOML

/// The commented `.zenodo.toml` that `zen-do init` writes.
///
/// It passes `zen-do check` as
/// written (its file list is empty, which is only a warning).
public struct InitTemplate: Sendable {
  /// The deposit's identity URN.
  public var urn: String
  /// The title; at least 3 characters, else a placeholder is used.
  public var title: String
  /// The first creator's name, "Family, Given".
  public var creator: String
  /// The publication date.
  public var date: TOMLDate

  /// Creates a template.
  public init(urn: String, title: String, creator: String, date: TOMLDate) {
    self.urn = urn
    self.title = title
    self.creator = creator
    self.date = date
  }

  /// The file's text.
  public var text: String {
    let title = title.count >= 3 ? title : "Title of the deposit"
    let creator = creator.isEmpty ? "Family, Given" : creator
    return """
      # The metadata of one Zenodo deposit. `zen-do upload` makes the deposit match this file.
      # Keys and values are Zenodo's deposit metadata (the same as in .zenodo.json);
      # docs/metadata.md lists every key. Check the file with `zen-do check`.

      title = \(Self.string(title))
      # publication, poster, presentation, dataset, image, video, software, lesson,
      # physicalobject, workflow or other
      upload_type = "software"
      # publication_type = "article"  # required when upload_type = "publication"
      # image_type = "figure"         # required when upload_type = "image"
      description = "<p>What this deposit holds, in HTML (or set [zen-do].description_file).</p>"
      # version = "1.0.0"
      publication_date = \(date.isoText)
      access_right = "open"  # open, embargoed (+ embargo_date), restricted (+ access_conditions)
      license = "cc-by-4.0"  # required when open or embargoed
      keywords = []
      # language = "eng"

      [[creators]]
      name = \(Self.string(creator))  # "Family, Given"
      # affiliation = "University of Somewhere"
      # orcid = "0000-0002-1825-0097"

      # The deposit's identity: exactly one entry like this, which zen-do uses to find the
      # deposit again. Keep it when you copy this file for another deposit, but change it.
      [[related_identifiers]]
      identifier = \(Self.string(urn))
      relation = "isIdenticalTo"
      scheme = "urn"

      # [[related_identifiers]]
      # identifier = "10.1038/s41588-018-0110-3"
      # relation = "cites"
      # scheme = "doi"

      # Settings of zen-do itself, never sent to Zenodo.
      [zen-do]
      # Paths or glob patterns (*, ?, [...], **) relative to this file's folder.
      files = [
        # "paper.pdf",
        # "data/*.csv",
      ]
      # description_file = "README.md"  # Markdown rendered to HTML as `description`

      """
  }

  /// "Family, Given" from a git `user.name`: "Jane Doe" becomes "Doe, Jane"; a name with a
  /// comma, one word or more than two words is kept as is.
  public static func creatorName(fromGitUserName name: String) -> String {
    let trimmed = name.trimmed
    let words = trimmed.split(separator: " ")
    guard !trimmed.contains(","), words.count == 2 else { return trimmed }
    return "\(words[1]), \(words[0])"
  }

  /// A TOML basic string.
  static func string(_ text: String) -> String { TOMLWriter.basicString(text) }
}
