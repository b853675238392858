/// Runs async work on many items with at most a few at a time.
public enum BoundedConcurrency {
  /// `body` applied to each item, at most `width` at once; the results in the items' order.
  ///
  /// Every started item runs to its end; then the first error (in item order) is thrown.
  public static func map<Item: Sendable, Result: Sendable>(
    _ items: [Item], width: Int, _ body: @escaping @Sendable (Item) async throws -> Result
  ) async throws -> [Result] {
    let width = max(1, width)
    if width == 1 || items.count <= 1 {
      var results: [Result] = []
      for item in items { results.append(try await body(item)) }
      return results
    }
    var outcomes = [Swift.Result<Result, any Error>?](repeating: nil, count: items.count)
    await withTaskGroup(of: (Int, Swift.Result<Result, any Error>).self) { group in
      var next = 0
      func start() {
        let index = next
        let item = items[index]
        next += 1
        group.addTask {
          do { return (index, .success(try await body(item))) } catch {
            return (index, .failure(error))
          }
        }
      }
      while next < min(width, items.count) { start() }
      var failed = false
      for await (index, outcome) in group {
        outcomes[index] = outcome
        if case .failure = outcome { failed = true }
        // After a failure no new item starts; those running finish.
        if !failed, next < items.count { start() }
      }
    }
    var results: [Result] = []
    for outcome in outcomes {
      switch outcome {
      case .success(let value): results.append(value)
      case .failure(let error): throw error
      case nil: break
      }
    }
    return results
  }
}
