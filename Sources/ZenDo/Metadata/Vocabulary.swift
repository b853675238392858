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

  // MARK: The records API's vocabularies (InvenioRDM as zenodo.org loads it)

  /// `dates[].type` values besides the legacy three: the records API's date types (the legacy
  /// layer lower-cases a type, so these work through both APIs).
  public static let recordDateTypes = [
    "accepted", "available", "collected", "copyrighted", "coverage", "created", "issued",
    "other", "submitted", "updated", "valid", "withdrawn",
  ]

  /// `type` of a creator or contributor: a person or an organisation.
  public static let personTypes = ["personal", "organizational"]

  /// `contributors[].role` values: the records API's role ids.
  public static let roles = [
    "contactperson", "datacollector", "datacurator", "datamanager", "distributor", "editor",
    "hostinginstitution", "other", "producer", "projectleader", "projectmanager",
    "projectmember", "registrationagency", "registrationauthority", "relatedperson",
    "researcher", "researchgroup", "rightsholder", "sponsor", "supervisor", "translator",
    "workpackageleader",
  ]

  /// `resource_type` values: the records API's depositable resource types (`publication-thesis`
  /// is accepted too: Zenodo stores it as `publication-dissertation`).
  public static let recordResourceTypes = [
    "publication", "publication-annotationcollection", "publication-article", "publication-book",
    "publication-conferencepaper", "publication-conferenceproceeding",
    "publication-datamanagementplan", "publication-datapaper", "publication-deliverable",
    "publication-dissertation", "publication-journal", "publication-milestone",
    "publication-other", "publication-patent", "publication-peerreview", "publication-preprint",
    "publication-proposal", "publication-report", "publication-section",
    "publication-softwaredocumentation", "publication-standard", "publication-studyregistration",
    "publication-taxonomictreatment", "publication-technicalnote", "publication-thesis",
    "publication-workingpaper", "poster", "presentation", "event", "dataset", "image",
    "image-figure", "image-plot", "image-drawing", "image-diagram", "image-photo", "image-other",
    "model", "video", "audio", "software", "software-computationalnotebook", "lesson",
    "physicalobject", "workflow", "other",
  ]

  /// `additional_titles[].type` values.
  public static let titleTypes = ["alternative-title", "subtitle", "translated-title", "other"]

  /// `additional_descriptions[].type` values.
  public static let descriptionTypes = [
    "abstract", "methods", "series-information", "table-of-contents", "technical-info", "notes",
    "other",
  ]

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
