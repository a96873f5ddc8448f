extension DigestViewModel {
    /// The model the text part renders from: right-to-left titles, section names, tags,
    /// authors and "also in" wrapped in Unicode isolates (FSI…PDI). Plain text has no `dir`,
    /// so without them two Hebrew tags swap places on a line and a client that picks each
    /// paragraph's direction from its first letter flips a whole line around a Hebrew title.
    /// The HTML part keeps the plain values and says direction with markup instead.
    var isolatedForText: DigestViewModel {
        let chrome = list.textDirection
        var model = self
        model.topStories = topStories.map { $0.isolatedForText(chrome) }
        model.sections = sections.map { section in
            var section = section
            section.title = BidiIsolate.forText(section.title, chrome: chrome)
            section.items = section.items.map { $0.isolatedForText(chrome) }
            return section
        }
        model.tagIndex = tagIndex.map { $0.isolatedForText(chrome) }
        model.indexTags = indexTags.map { $0.isolatedForText(chrome) }
        return model
    }
}

extension DigestViewModel.Item {
    fileprivate func isolatedForText(_ chrome: TextDirection) -> Self {
        var item = self
        item.title = BidiIsolate.forText(title, chrome: chrome, direction: isRightToLeft ? .rightToLeft : .leftToRight)
        item.authors = BidiIsolate.forText(authors, chrome: chrome)
        item.alsoIn = BidiIsolate.forText(alsoIn, chrome: chrome)
        item.tags = tags.map { $0.isolatedForText(chrome) }
        return item
    }
}

extension DigestViewModel.Tag {
    fileprivate func isolatedForText(_ chrome: TextDirection) -> Self {
        var tag = self
        tag.name = BidiIsolate.forText(name, chrome: chrome)
        return tag
    }
}

extension DigestViewModel.List {
    /// The direction the list's own words run.
    var textDirection: TextDirection { direction == "rtl" ? .rightToLeft : .leftToRight }
}
