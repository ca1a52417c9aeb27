"""Reports: figures, the HTML highlight report, terminal rendering. Presentation only, no mlflow.

- :mod:`~framing.report.figures`: confusion matrix, precision-recall, top feature weights, per-label F1;
- :mod:`~framing.report.html`: one self-contained HTML page highlighting cues and predictions in articles;
- :mod:`~framing.report.views`: what a run's report shows (readable predictions, article views);
- :mod:`~framing.report.corpus_stats`: counts per split and technique (`framing data stats`);
- :mod:`~framing.report.summary`: the wording of an analysis summary (cue names, standout cues);
- :mod:`~framing.report.terminal`, :mod:`~framing.report.analysis_html`: ``framing analyze``'s
  document in the terminal and as HTML.
"""
