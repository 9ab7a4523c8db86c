"""What relation training does unless told otherwise: one place for the defaults that
``train_relations`` and ``khabar models train-relations`` share (light to import, so
the command line shows them in ``--help`` without loading numpy or scikit-learn).

The shipped model (``extractors/models/relations``) is trained with all of them.
"""

NER = "triggers"  # the mentions trained on: NER only after relation triggers
FOLDS = 3  # cross-validation folds over articles (about 6 minutes on 2 CPUs)
ENCODER = False  # the PCNN encoder lowered out-of-fold and dev F1 beside the identity features
PER_RELATION = True  # relations stated 30 times or more get a threshold of their own
SEED = 0  # of the folds (and of the encoder)
