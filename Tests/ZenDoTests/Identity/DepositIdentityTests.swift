import Testing

@testable import ZenDo

@Suite struct DepositIdentityTests {
  @Test(arguments: [
    ("https://github.com/seedcase-project/zen-do.git", ["seedcase-project", "zen-do"]),
    ("https://github.com/seedcase-project/zen-do", ["seedcase-project", "zen-do"]),
    ("https://github.com/seedcase-project/zen-do/", ["seedcase-project", "zen-do"]),
    ("git@github.com:seedcase-project/zen-do.git", ["seedcase-project", "zen-do"]),
    ("ssh://git@github.com/owner/repo.git", ["owner", "repo"]),
    ("ssh://git@gitlab.com:2222/group/sub/repo.git", ["group", "sub", "repo"]),
    ("https://user@gitlab.com/group/sub/repo.git\n", ["group", "sub", "repo"]),
    ("git@gitlab.com:group/repo", ["group", "repo"]),
  ])
  func parsesRemotes(remote: String, expected: [String]) {
    #expect(DepositIdentity.repositoryPath(fromRemote: remote) == expected)
  }

  @Test(arguments: ["", "/home/me/repo", "https://github.com/onlyowner", "../relative/path"])
  func rejectsNonRemotes(remote: String) {
    #expect(DepositIdentity.repositoryPath(fromRemote: remote) == nil)
  }

  @Test func buildsURNs() {
    #expect(DepositIdentity.urn(repositoryPath: ["o", "r"]) == "urn:zenodo:o:r")
    #expect(DepositIdentity.urn(repositoryPath: ["o", "r"], name: "book") == "urn:zenodo:o:r:book")
    #expect(DepositIdentity.outputName(forFileName: ".zenodo.toml") == nil)
    #expect(DepositIdentity.outputName(forFileName: ".book.zenodo.toml") == "book")
    #expect(DepositIdentity.outputName(forFileName: ".pdf.zenodo.json") == "pdf")
    #expect(DepositIdentity.isValid(DepositIdentity.urn(repositoryPath: ["a", "b", "c"])))
  }

  @Test func creatorNames() {
    #expect(InitTemplate.creatorName(fromGitUserName: "Jane Doe") == "Doe, Jane")
    #expect(InitTemplate.creatorName(fromGitUserName: "Doe, Jane") == "Doe, Jane")
    #expect(InitTemplate.creatorName(fromGitUserName: "Ana María López") == "Ana María López")
  }
}
