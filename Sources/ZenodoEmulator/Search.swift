import Foundation

/// A parsed search query.
///
/// `field:"value"` terms joined by `AND`/`OR`/`NOT`, with parentheses (`docs/zenodo-rdm-api.md`
/// §6). Adjacent terms without an operator are joined by `AND`.
indirect enum SearchQuery: Sendable, Equatable {
  case all
  case term(field: String?, value: String, quoted: Bool)
  case and(SearchQuery, SearchQuery)
  case or(SearchQuery, SearchQuery)
  case not(SearchQuery)

  /// Parses `q`; text that does not parse is matched as free text, as Zenodo's fallback does.
  static func parse(_ text: String) -> SearchQuery {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty || trimmed == "*" { return .all }
    var parser = Parser(tokens: tokenize(trimmed))
    if let query = parser.parseOr(), parser.atEnd { return query }
    return .term(field: nil, value: trimmed, quoted: false)
  }

  enum Token: Equatable {
    case open, close, and, or, not
    case term(field: String?, value: String, quoted: Bool)
  }

  static func tokenize(_ text: String) -> [Token] {
    var tokens: [Token] = []
    var index = text.startIndex
    func readValue() -> (String, Bool) {
      if index < text.endIndex, text[index] == "\"" {
        var value = ""
        index = text.index(after: index)
        while index < text.endIndex, text[index] != "\"" {
          if text[index] == "\\", text.index(after: index) < text.endIndex {
            index = text.index(after: index)
          }
          value.append(text[index])
          index = text.index(after: index)
        }
        if index < text.endIndex { index = text.index(after: index) }
        return (value, true)
      }
      var value = ""
      while index < text.endIndex, !text[index].isWhitespace, text[index] != ")", text[index] != "("
      {
        if text[index] == "\\", text.index(after: index) < text.endIndex {
          index = text.index(after: index)
        }
        value.append(text[index])
        index = text.index(after: index)
      }
      return (value, false)
    }
    while index < text.endIndex {
      let character = text[index]
      if character.isWhitespace {
        index = text.index(after: index)
      } else if character == "(" {
        tokens.append(.open)
        index = text.index(after: index)
      } else if character == ")" {
        tokens.append(.close)
        index = text.index(after: index)
      } else if character == "\"" {
        let (value, quoted) = readValue()
        tokens.append(.term(field: nil, value: value, quoted: quoted))
      } else {
        // A field name runs up to an unescaped ':'.
        var word = ""
        var scan = index
        var field: String?
        while scan < text.endIndex, !text[scan].isWhitespace, text[scan] != "(", text[scan] != ")" {
          if text[scan] == "\\" { break }
          if text[scan] == ":" {
            field = word
            break
          }
          word.append(text[scan])
          scan = text.index(after: scan)
        }
        if let field, !field.isEmpty {
          index = text.index(after: scan)
          let (value, quoted) = readValue()
          tokens.append(.term(field: field, value: value, quoted: quoted))
        } else {
          let (value, quoted) = readValue()
          switch value {
          case "AND", "&&": tokens.append(.and)
          case "OR", "||": tokens.append(.or)
          case "NOT": tokens.append(.not)
          default: tokens.append(.term(field: nil, value: value, quoted: quoted))
          }
        }
      }
    }
    return tokens
  }

  struct Parser {
    var tokens: [Token]
    var position = 0
    var atEnd: Bool { position >= tokens.count }

    mutating func parseOr() -> SearchQuery? {
      guard var left = parseAnd() else { return nil }
      while position < tokens.count, tokens[position] == .or {
        position += 1
        guard let right = parseAnd() else { return nil }
        left = .or(left, right)
      }
      return left
    }

    mutating func parseAnd() -> SearchQuery? {
      guard var left = parseUnary() else { return nil }
      while position < tokens.count, tokens[position] != .or, tokens[position] != .close {
        if tokens[position] == .and { position += 1 }
        guard let right = parseUnary() else { return nil }
        left = .and(left, right)
      }
      return left
    }

    mutating func parseUnary() -> SearchQuery? {
      guard position < tokens.count else { return nil }
      switch tokens[position] {
      case .not:
        position += 1
        return parseUnary().map { .not($0) }
      case .open:
        position += 1
        guard let inner = parseOr(), position < tokens.count, tokens[position] == .close else {
          return nil
        }
        position += 1
        return inner
      case .term(let field, let value, let quoted):
        position += 1
        return .term(field: field, value: value, quoted: quoted)
      default:
        return nil
      }
    }
  }
}

/// The searchable view of one deposit version, with RDM field paths.
struct SearchDocument {
  /// Keyword fields: exact match.
  var keywords: [String: [String]]
  /// Text fields: case-insensitive word or phrase match.
  var texts: [String: [String]]

  /// Legacy field names mapped to RDM paths (`ZENODO_LEGACY_SEARCH_MAP`).
  static let aliases: [String: String] = [
    "related.identifier": "metadata.related_identifiers.identifier",
    "alternate.identifier": "metadata.identifiers.identifier",
    "conceptrecid": "parent.id",
    "recid": "id",
    "doi": "pids.doi.identifier",
    "conceptdoi": "parent.pids.doi.identifier",
    "title": "metadata.title",
    "owners": "parent.access.owned_by.user",
    "description": "metadata.description",
    "creators.name": "metadata.creators.person_or_org.name",
    "keywords": "metadata.subjects.subject",
    "version": "metadata.version",
    "publication_date": "metadata.publication_date",
    "resource_type.type": "metadata.resource_type.id",
  ]

  func matches(_ query: SearchQuery) -> Bool {
    switch query {
    case .all: return true
    case .and(let left, let right): return matches(left) && matches(right)
    case .or(let left, let right): return matches(left) || matches(right)
    case .not(let inner): return !matches(inner)
    case .term(let field, let value, let quoted):
      guard let field else {
        return texts.values.joined().contains { Self.textMatch($0, value, quoted: quoted) }
          || keywords.values.joined().contains(value)
      }
      let path = Self.aliases[field] ?? field
      if let values = keywords[path] {
        if value == "*" { return !values.isEmpty }
        return values.contains(value)
      }
      if let values = texts[path] {
        if value == "*" { return !values.isEmpty }
        return values.contains { Self.textMatch($0, value, quoted: quoted) }
      }
      return false
    }
  }

  static func textMatch(_ text: String, _ value: String, quoted: Bool) -> Bool {
    let haystack = words(text)
    let needle = words(value)
    guard !needle.isEmpty else { return false }
    if !quoted { return needle.allSatisfy(haystack.contains) }
    guard haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count)
    where Array(haystack[start..<start + needle.count]) == needle {
      return true
    }
    return false
  }

  static func words(_ text: String) -> [String] {
    text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
  }
}
