"""The trained relation extractor, by stage: mentions -> candidates -> features -> model.

- ``candidates``: pairs of entity mentions in a sentence, with what the sentence holds
  around them (triggers, cues, the rules' own statements).
- ``features``: the words and signals of one candidate, as feature strings.
- ``model``: a linear model per relation over those features: load, save, predict.
- ``train``: training examples from annotated articles (``../shared/gold`` format),
  fitting, cross-validation.
- ``extractor``: ``RelationExtractor``, the default ``khabar build`` extractor.

Mentions come from the lexicon extractor (gazetteer, titles, head words, NER,
reference within the article); it also stays the high-precision path whose
statements are features of the model.
"""
