/// The controlled values of Zenodo's legacy deposit metadata (zenodo-api.md §7).
public enum Vocabulary {
  /// `upload_type` values.
  ///
  /// `workflow` comes from the old JSON schema; RDM still has it.
  public static let uploadTypes = [
    "publication", "poster", "presentation", "dataset", "image", "video", "software", "lesson",
    "physicalobject", "workflow", "other",
  ]

  /// `publication_type` values (required when `upload_type` is `publication`).
  public static let publicationTypes = [
    "annotationcollection", "book", "section", "conferencepaper", "datamanagementplan", "article",
    "patent", "preprint", "deliverable", "milestone", "proposal", "report",
    "softwaredocumentation", "taxonomictreatment", "technicalnote", "thesis", "workingpaper",
    "other",
  ]

  /// `image_type` values (required when `upload_type` is `image`).
  public static let imageTypes = ["figure", "plot", "drawing", "diagram", "photo", "other"]

  /// `access_right` values.
  public static let accessRights = ["open", "embargoed", "restricted", "closed"]

  /// `related_identifiers[].relation` values: the DataCite relation types Zenodo accepts, plus
  /// `isAlternateIdentifier`, which Zenodo stores as an alternate identifier.
  public static let relationTypes = [
    "isCitedBy", "cites", "isSupplementTo", "isSupplementedBy", "isContinuedBy", "continues",
    "isDescribedBy", "describes", "hasMetadata", "isMetadataFor", "hasVersion", "isVersionOf",
    "isNewVersionOf", "isPreviousVersionOf", "isPartOf", "hasPart", "isPublishedIn",
    "isReferencedBy", "references", "isDocumentedBy", "documents", "isCompiledBy", "compiles",
    "isVariantFormOf", "isOriginalFormOf", "isIdenticalTo", "isAlternateIdentifier",
    "isReviewedBy", "reviews", "isDerivedFrom", "isSourceOf", "requires", "isRequiredBy",
    "isObsoletedBy", "obsoletes", "isTranslationOf", "hasTranslation", "collects",
    "isCollectedBy",
  ]

  /// `contributors[].type` values.
  public static let contributorTypes = [
    "ContactPerson", "DataCollector", "DataCurator", "DataManager", "Distributor", "Editor",
    "HostingInstitution", "Producer", "ProjectLeader", "ProjectManager", "ProjectMember",
    "RegistrationAgency", "RegistrationAuthority", "RelatedPerson", "Researcher", "ResearchGroup",
    "RightsHolder", "Supervisor", "Sponsor", "WorkPackageLeader", "Other",
  ]

  /// `related_identifiers[].resource_type` values: every upload type, and
  /// `publication-<type>` / `image-<type>` for the subtypes.
  public static let resourceTypes: [String] =
    uploadTypes.flatMap { type -> [String] in
      switch type {
      case "publication": [type] + publicationTypes.map { "publication-\($0)" }
      case "image": [type] + imageTypes.map { "image-\($0)" }
      default: [type]
      }
    }

  /// `dates[].type` values.
  public static let dateTypes = ["Collected", "Valid", "Withdrawn"]

  /// Whether `code` is an ISO 639-1 (two letters) or ISO 639-2/639-3 (three letters) code,
  /// in lower case.
  public static func isLanguageCode(_ code: String) -> Bool {
    switch code.utf8.count {
    case 2: languageCodes2.contains(code)
    case 3: languageCodes3.contains(code)
    default: false
    }
  }

  private static let languageCodes2 = Set(
    LanguageCodes.alpha2Text.split(whereSeparator: \.isWhitespace).map(String.init))
  private static let languageCodes3 = Set(
    LanguageCodes.alpha3Text.split(whereSeparator: \.isWhitespace).map(String.init))
}
