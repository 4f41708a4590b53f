"""The Jinja2 template of the printable plan page.

Kept as a string in the package (not a template file) so the export works from
any install without package-data changes. Everything is inline: CSS, and the
exercise illustrations as SVG, so the page is one self-contained file.
"""

from __future__ import annotations

PLAN_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your backstride plan from {{ plan.preferences.start_date.isoformat() }}</title>
<style>
:root { --ink: #1f2937; --muted: #4b5563; --line: #d1d5db; --accent: #24476b;
        --warn: #b91c1c; --warn-bg: #fef2f2; --note-bg: #f3f6fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #fff; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; color: var(--accent); }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--accent);
     padding-bottom: .2rem; color: var(--accent); }
h3 { font-size: 1.1rem; margin: 1.2rem 0 .3rem; }
p { margin: .3rem 0 .6rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.box { border: 1px solid var(--line); border-radius: .5rem; padding: .6rem .9rem;
       margin: .8rem 0; background: var(--note-bg); break-inside: avoid; }
.box h2 { margin-top: .2rem; border: 0; font-size: 1.1rem; }
.warning { border: 2px solid var(--warn); background: var(--warn-bg); }
.warning h2 { color: var(--warn); }
.headline { font-size: 1.15rem; font-weight: 600; }
.level-label { font-size: 1.2rem; font-weight: 800; text-transform: uppercase;
               letter-spacing: .04em; margin: .2rem 0; }
.level.emergency .level-label, .level.urgent .level-label { color: var(--warn); }
a.call { display: inline-block; font-weight: 700; font-size: 1.1rem; padding: .3rem .8rem;
         border-radius: .4rem; background: var(--warn); color: #fff; text-decoration: none; }
details.clinician summary { cursor: pointer; }
details.clinician summary h2 { display: inline; border: 0; }
ul, ol { padding-left: 1.3rem; margin: .3rem 0 .6rem; }
li { margin: .15rem 0; }
.phase-dates { color: var(--muted); font-weight: normal; font-size: .95rem; }
.item { border-left: 4px solid var(--line); padding: .3rem 0 .3rem .7rem; margin: .7rem 0;
        break-inside: avoid; }
.item.exercise { border-left-color: var(--accent); }
.item .title { font-weight: 600; }
.item .dose { font-weight: 600; color: var(--accent); }
.caution { color: var(--warn); }
.cite { color: var(--muted); font-size: .85rem; }
.cite a { color: inherit; }
.kind { display: inline-block; font-size: .75rem; text-transform: uppercase; letter-spacing: .04em;
        color: var(--muted); border: 1px solid var(--line); border-radius: .3rem;
        padding: 0 .3rem; margin-right: .3rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
tr { break-inside: avoid; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .35rem; text-align: left;
         vertical-align: top; }
th { background: var(--note-bg); }
td.rest { color: var(--muted); background: #fafafa; }
.calendar { font-size: .75rem; table-layout: fixed; }
.calendar td, .calendar th { border: 1px solid var(--line); padding: .2rem; }
.calendar .run { color: var(--accent); }
.calendar .skip { color: var(--muted); font-style: italic; }
.week { break-inside: avoid; margin-bottom: 1rem; }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: .7rem .9rem; margin: 1rem 0;
        break-inside: avoid; }
.card h3 { margin-top: 0; }
.card svg { display: block; width: 100%; max-width: 30rem; height: auto; margin: .3rem 0 .6rem; }
.sources li { font-size: .9rem; }
@media screen and (min-width: 40rem) {
  .card-cols { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.2rem; }
}
a { color: var(--accent); }
@media print {
  body { font-size: 10pt; line-height: 1.35; }
  .exercises { display: grid; grid-template-columns: 1fr 1fr; gap: 0 .8rem; align-items: start; }
  .exercises h2 { grid-column: 1 / -1; }
  .card { padding: .4rem .6rem; margin: .4rem 0; font-size: 9pt; }
  .card-cols { display: block; }
  .item { margin: .4rem 0; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .card, .item, .box, .week { break-inside: avoid; }
  details.clinician { break-inside: auto; }
  details.clinician::details-content { content-visibility: visible; display: contents; }
  .exercises { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 14mm 12mm; }
</style>
</head>
<body>
<main>
{% set r = report %}
{% macro linked_text(text) -%}
{% for part in linked(text, r.tel if r else None) -%}
{% if part.tel %}<a href="tel:{{ part.tel }}">{{ part.text }}</a>
{%- else %}{{ part.text }}{% endif %}
{%- endfor %}
{%- endmacro %}
{% macro triage() %}
<section class="box level {{ plan.triage_level }}{% if care_now %} warning{% endif %}"
 aria-labelledby="level">
<p class="level-label" id="level">{{ level.label }}</p>
{% if not (r and r.headline_repeats_statement) %}
<p class="headline">{{ plan.headline }}</p>
{% endif %}
<p class="meaning">{{ level.meaning }}</p>
{% if r and r.tel %}<p><a class="call" href="tel:{{ r.tel }}">Call {{ r.tel }}</a></p>{% endif %}
</section>
{% if plan.do_now %}
<section class="box{% if not plan.phases %} warning{% endif %}" aria-labelledby="do-now">
<h2 id="do-now">What to do now</h2>
<ul>{% for action in plan.do_now %}<li>{{ linked_text(action) }}</li>{% endfor %}</ul>
{% if r and r.tell_them %}
<h3 id="tell-them">Tell them:</h3>
<ul>{% for line in r.tell_them %}<li>{{ line }}</li>{% endfor %}</ul>
{% endif %}
</section>
{% endif %}
{% endmacro %}
{% macro screen() %}
{% if r and r.screen_statement %}
<section class="box warning" aria-labelledby="safety-screen">
<h2 id="safety-screen">The safety check is not finished</h2>
<p><strong>{{ r.screen_statement }}</strong></p>
{% if r.unanswered %}<p>Not answered:</p>
<ul>{% for question in r.unanswered %}<li>{{ question }}</li>{% endfor %}</ul>{% endif %}
</section>
{% endif %}
{% endmacro %}
<header>
<h1>Your backstride plan</h1>
<p class="meta">From {{ plan.preferences.start_date.isoformat() }}
{%- if plan.days %} &middot; {{ plan.preferences.minutes_per_day }} minutes a day,
{{ plan.preferences.days_per_week }} days a week{% endif %}
 &middot; content version {{ plan.content_version }}</p>
</header>

{# Serious first: an emergency instruction, then an unfinished safety check, then the rest. #}
{% if r and r.emergency %}{{ triage() }}{{ screen() }}
{% else %}{{ screen() }}{{ triage() }}{% endif %}

{% if r and r.flags %}
<section class="box" aria-labelledby="why">
<h2 id="why">Why</h2>
{% for flag in r.flags %}<p>{{ flag.explanation }} <em>({{ flag.label }})</em></p>
{% if flag.said %}<p class="cite">You said: {{ flag.said|join("; ") }}</p>{% endif %}
{% endfor %}
</section>
{% endif %}

<section class="box warning" aria-labelledby="warning-signs">
<h2 id="warning-signs">Warning signs: get help at once</h2>
<p>Stop the plan and get medical help straight away if any of these appear:</p>
<ul>{% for sign, label in warning_signs %}
<li>{{ sign }}{% if label %} <em>({{ label }})</em>{% endif %}</li>
{% endfor %}</ul>
</section>

{% if r and r.safety_nets %}
<section class="box warning" aria-labelledby="safety-nets">
<h2 id="safety-nets">Also watch for</h2>
{% for net in r.safety_nets %}<p>{{ net }}</p>{% endfor %}
</section>
{% endif %}

<section class="box" aria-labelledby="not-a-diagnosis">
<h2 id="not-a-diagnosis">Not a diagnosis</h2>
<p>{{ plan.not_a_diagnosis }}</p>
</section>

<section class="box" aria-labelledby="running">
<h2 id="running">Running</h2>
<p>{{ plan.running.detail }}</p>
{% if plan.running.return_to_run_from %}
<p>The walk-run programme may start on
<strong>{{ plan.running.return_to_run_from.isoformat() }}</strong>.</p>
{% endif %}
</section>

{% for phase in phases %}
<section aria-labelledby="phase-{{ phase.id }}">
<h2 id="phase-{{ phase.id }}">{{ loop.index }}. {{ phase.title }}
<span class="phase-dates">{{ phase.dates }}</span></h2>
<p>{{ phase.goal }}</p>
{% for item in phase.items %}
<div class="item {{ item.kind }}">
<p><span class="kind">{{ item.kind_label }}</span>
{%- if item.anchor %}<a class="title" href="#{{ item.anchor }}">{{ item.title }}</a>
{%- else %}<span class="title">{{ item.title }}</span>{% endif %}
{%- if item.starts_on %} <em>(from {{ item.starts_on }})</em>{% endif %}</p>
{% if item.dose %}<p class="dose">{{ item.dose }}</p>{% endif %}
{% if item.explained_in %}
<p class="cite">Why it is here: see the {{ item.explained_in }} phase.</p>
{% for caution in item.cautions %}<p class="caution">Take care: {{ caution }}</p>{% endfor %}
{% else %}
<p>{{ item.why }}</p>
{% if item.citations %}<p class="cite">Sources: {% for n in item.citations -%}
<a href="#source-{{ n }}">[{{ n }}]</a>{% if not loop.last %} {% endif %}
{%- endfor %}</p>{% endif %}
{% endif %}
</div>
{% endfor %}
{% if phase.topics %}
<p class="cite">Read more: {% for topic in phase.topics -%}
<a href="#topic-{{ topic.slug }}">{{ topic.title }}</a>{% if not loop.last %} &middot; {% endif %}
{%- endfor %}</p>
{% endif %}
</section>
{% endfor %}

{% if weeks %}
<section aria-labelledby="calendar">
<h2 id="calendar">Day by day</h2>
<p>Session days show how many of the phase's exercises to do, and which to leave out
that day when an exercise is done fewer times a week; other days are rest days from the
exercises. The last line says what running the day allows.</p>
<table class="calendar">
<thead><tr><th scope="col">Week</th>
{% for n in range(7) %}<th scope="col">Day {{ n + 1 }}</th>{% endfor %}</tr></thead>
<tbody>
{% for week in weeks %}
<tr><th scope="row">{{ week.number }}</th>
{% for day in week.days %}
<td{% if day.rest %} class="rest"{% endif %} title="{{ day.exercises }}">
<strong>{{ day.label }}</strong><br>{{ day.phase }}<br>
{% if day.rest %}Rest{% else %}{{ day.count }} exercise{{ "s" if day.count != 1 }}{% endif %}<br>
{% if day.skipped %}<span class="skip">not: {{ day.skipped }}</span><br>{% endif %}
<span class="run">{{ day.running }}</span></td>
{% endfor %}
</tr>
{% endfor %}
</tbody>
</table>
</section>
{% endif %}

{% if cards %}
<section class="exercises" aria-labelledby="exercises">
<h2 id="exercises">How to do each exercise</h2>
{% for card in cards %}
<article class="card" id="{{ card.anchor }}">
<h3>{{ card.name }}</h3>
{{ card.svg }}
<p>{{ card.summary }}</p>
{% if card.dose %}<p class="dose">{{ card.dose }}</p>{% endif %}
<div class="card-cols">
<div>
<ol>{% for step in card.steps %}<li>{{ step }}</li>{% endfor %}</ol>
</div>
<div>
<p><strong>Think about:</strong></p>
<ul>{% for cue in card.cues %}<li>{{ cue }}</li>{% endfor %}</ul>
<p><strong>Common mistakes:</strong></p>
<ul>{% for mistake in card.mistakes %}<li>{{ mistake }}</li>{% endfor %}</ul>
{% if card.stop_if %}<p class="caution"><strong>Stop if:</strong></p>
<ul class="caution">{% for line in card.stop_if %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
{% if card.cautions %}<p class="caution"><strong>Take care:</strong></p>
<ul class="caution">{% for line in card.cautions %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
{% if card.equipment %}<p class="cite">You need: {{ card.equipment }}</p>{% endif %}
</div>
</div>
</article>
{% endfor %}
</section>
{% endif %}

{% if topics %}
<section aria-labelledby="learn">
<h2 id="learn">Learn more</h2>
<p>Short, evidence-graded answers. Read any of them with <code>backstride learn TOPIC</code>.</p>
<ul>
{% for topic in topics %}
<li id="topic-{{ topic.slug }}"><strong>{{ topic.title }}</strong> &mdash; {{ topic.question }}
<code>backstride learn {{ topic.slug }}</code></li>
{% endfor %}
</ul>
</section>
{% endif %}

{% if r %}
{% set c = r.clinician %}
<details class="box clinician" aria-labelledby="for-clinician">
<summary><h2 id="for-clinician">For the clinician who sees you</h2></summary>
{% for flag in c.flags %}
<h3>{{ flag.name }} ({{ flag.label }})</h3>
{% if flag.clinician_explanation %}<p>{{ flag.clinician_explanation }}</p>{% endif %}
{% if flag.said %}<p class="cite">Reported: {{ flag.said|join("; ") }}</p>{% endif %}
{% endfor %}
{% if c.unanswered %}<p>Safety screen not answered: {{ c.unanswered|join("; ") }}</p>{% endif %}
{% if c.not_sure %}<p>Answered "not sure": {{ c.not_sure|join("; ") }}</p>{% endif %}
{% if c.causes %}
<h3>Likely causes (not a diagnosis)</h3>
{% for cause in c.causes %}
<p><strong>{{ cause.name }}</strong> ({{ cause.likelihood }}): {{ cause.explanation }}</p>
{% if cause.supporting %}
<p class="cite">Points towards: {{ cause.supporting|join("; ") }}</p>
{% endif %}
{% if cause.against %}<p class="cite">Points against: {{ cause.against|join("; ") }}</p>{% endif %}
{% endfor %}
{% endif %}
{% if c.factors %}
<h3>Training and lifestyle factors</h3>
<ul>{% for factor in c.factors %}
<li><strong>{{ factor.name }}</strong>: {{ factor.detail }}</li>
{% endfor %}</ul>
{% endif %}
<h3>Outlook</h3>
<p>{{ c.outlook_risk|capitalize }} risk of slow recovery.
{%- if c.outlook_detail %} {{ c.outlook_detail }}{% endif %}</p>
</details>
{% endif %}

<section aria-labelledby="sources">
<h2 id="sources">Sources</h2>
<ol class="sources">
{% for source in sources %}<li id="source-{{ loop.index }}">{{ source }}</li>{% endfor %}
</ol>
</section>
</main>
</body>
</html>
"""
