"""An assessment to a phased plan.

``builder`` selects exercises (``select``), doses them (``dose``), lays out the weeks
(``calendar``) and the run days (``run_schedule``), and words the result (``wording``);
``model`` holds the plan document.
"""
