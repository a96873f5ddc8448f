import GazetteModel
import Testing

@Suite struct SectionPathTests {
    @Test func containsItselfAndItsSubsectionsOnly() {
        let middleEast = SectionPath(parsing: "News > Middle East")
        #expect(middleEast.contains(SectionPath(parsing: "News > Middle East > Peace Process")))
        #expect(middleEast.contains(SectionPath(parsing: "news > middle east")))
        #expect(!middleEast.contains(SectionPath(parsing: "News > Middle Eastern Affairs")))
        #expect(!middleEast.contains(SectionPath(parsing: "News")))
        #expect(!SectionPath.none.contains(middleEast))
    }

    @Test func parsesTheSeparatorsSitesUse() {
        #expect(SectionPath(parsing: "Home » News › Middle East").components == ["Home", "News", "Middle East"])
        #expect(SectionPath(parsing: "  News  >  > Israel ").description == "News > Israel")
        #expect(SectionPath(parsing: "News > Middle East > Peace Process").truncated(toDepth: 2).description == "News > Middle East")
    }
}
