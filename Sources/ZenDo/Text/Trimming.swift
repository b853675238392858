import Foundation

extension String {
  /// The string without white space and line breaks at either end.
  var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
