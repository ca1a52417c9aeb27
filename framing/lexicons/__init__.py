"""Lexicons: the project's own word lists and the loaders of public lexicons.

- :mod:`~framing.lexicons.lexicon`: :class:`~framing.lexicons.lexicon.Lexicon` (terms by
  category), the one :class:`~framing.lexicons.lexicon.LexiconMatcher`, and the reader of the
  project's TSV lists in this folder (documented in ``DATASHEET.md``);
- :mod:`~framing.lexicons.external`: the public lexicons (GPL or unlicensed, read from
  ``$FRAMING_LEXICONS`` in their native formats, never bundled) and their registry;
- :mod:`~framing.lexicons.inflection`: English verb and noun forms and candidate lemmas, so
  that lemma lists match inflected tokens.

Resources, not features: the feature families in :mod:`framing.features` read these.
"""
