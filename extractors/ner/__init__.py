"""Khabar's named-entity recognition: one package, its imports running one way.

* ``bio`` — BIO tag sequences: reading corpora, spans, label propagation, scoring (pure Python);
* ``resources`` — where the models live, what is installed, fetching Stanza's, checking weights;
* ``tagger`` — ``NerTagger``: the shipped model over Khabar's tokens (imports the two above);
* ``train`` — reproducing and measuring the model (imports all three).

Nothing here imports an extractor; the extractors import ``tagger``. Import the
submodule you need: this package's own import loads nothing.
"""
