import FeedParsing
import GazetteModel
import Testing

@Suite struct CategoryClassifierTests {
    @Test func wordpressDomainsSeparateSectionFromTags() {
        let (section, tags) = CategoryClassifier.classify([
            FeedCategory(term: "Turkey", scheme: "post_tag"),
            FeedCategory(term: "News > Middle East", scheme: "category"),
            FeedCategory(term: "ISF", scheme: "post_tag"),
        ])
        #expect(section.description == "News > Middle East")
        #expect(tags == ["Turkey", "ISF"])
    }

    @Test func withoutDomainsTheFirstCategoryIsTheSection() {
        let (section, tags) = CategoryClassifier.classify([FeedCategory(term: "Opinions"), FeedCategory(term: "Turkey")])
        #expect(section.description == "Opinions")
        #expect(tags == ["Turkey"])
    }

    @Test func theDeepestSectionWinsAndTagsAreUnique() {
        let (section, tags) = CategoryClassifier.classify([
            FeedCategory(term: "News", scheme: "category"),
            FeedCategory(term: "News » Middle East", scheme: "category"),
            FeedCategory(term: "turkey", scheme: "tag"),
            FeedCategory(term: "Turkey", scheme: "tag"),
        ])
        #expect(section.components == ["News", "Middle East"])
        #expect(tags == ["turkey"])
    }
}
