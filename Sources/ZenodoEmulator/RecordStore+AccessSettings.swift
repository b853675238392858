import Foundation

extension RecordStore {
  /// The parent's access-request settings as InvenioRDM defaults them.
  static let defaultAccessSettings: [String: JSON] = [
    "allow_user_requests": false, "allow_guest_requests": false,
    "accept_conditions_text": .null, "secret_link_expiration": .int(0),
  ]

  /// Replaces the parent's access-request settings: `PUT /api/records/{id}/access`.
  ///
  /// The settings say who may ask for access to restricted files, and the conditions shown to
  /// them; only the owner of the record or draft `id` may set them. Strict, as invenio-rdm-records loads them (`raise_errors=True`):
  /// an unknown key or a wrong type is a 400 with `errors`, and nothing is saved.
  func updateAccessSettings(_ id: Int, user: Int, body: JSON) throws(APIError) -> RecordView {
    let view = try self.view(id, user: user)
    guard let object = body.object else {
      throw .validation([FieldError(field: "access", messages: [RDMSchema.invalidType])])
    }
    var settings: [String: JSON] = [:]
    var errors: [FieldError] = []
    for (key, value) in object {
      switch key {
      case "allow_user_requests", "allow_guest_requests":
        guard case .bool = value else {
          errors.append(FieldError(field: key, messages: ["Not a valid boolean."]))
          continue
        }
        settings[key] = value
      case "accept_conditions_text":
        guard value == .null || value.string != nil else {
          errors.append(FieldError(field: key, messages: ["Not a valid string."]))
          continue
        }
        settings[key] =
          value.string.map { .string($0.trimmingCharacters(in: .whitespaces)) } ?? .null
      case "secret_link_expiration":
        guard case .int(let days) = value, (0...365).contains(days) else {
          errors.append(
            FieldError(
              field: key,
              messages: ["Must be greater than or equal to 0 and less than or equal to 365."]))
          continue
        }
        settings[key] = value
      default:
        errors.append(FieldError(field: key, messages: [RDMSchema.unknown]))
      }
    }
    if !errors.isEmpty { throw .validation(errors) }
    guard var parent = state.parents[view.parent.id] else { throw APIError.unknownID }
    parent.accessSettings = settings
    state.parents[parent.id] = parent
    save()
    return try self.view(id, user: user)
  }
}
