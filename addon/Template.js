// Generated from sheets_templates/template.json by scripts/build-template.js.
// Edit template.json, then run `npm run build-template`.

/** @type {OkrTemplate} */
const OKRTREE_TEMPLATE = {
  "version": 1,
  "team_tab": "OKRs",
  "header_search_rows": 10,
  "type_values": {
    "Objective": [
      "Objective",
      "O",
      "Obj"
    ],
    "Key Result": [
      "Key Result",
      "KR",
      "Key result",
      "KeyResult"
    ]
  },
  "team_columns": [
    {
      "name": "ID",
      "aliases": [],
      "on": "both",
      "required": true,
      "width": 12,
      "number_format": "@",
      "note": "Unique across the organisation, e.g. ENG-1."
    },
    {
      "name": "Type",
      "aliases": [],
      "on": "both",
      "required": true,
      "width": 12,
      "number_format": "@",
      "validation": [
        "Objective",
        "Key Result"
      ],
      "note": "Objective or Key Result."
    },
    {
      "name": "Title",
      "aliases": [],
      "on": "both",
      "required": true,
      "width": 48,
      "number_format": "@"
    },
    {
      "name": "Owner",
      "aliases": [
        "Champion"
      ],
      "on": "both",
      "required": false,
      "width": 30,
      "number_format": "@"
    },
    {
      "name": "Parent",
      "aliases": [
        "Aligns to"
      ],
      "on": "both",
      "required": true,
      "width": 12,
      "number_format": "@",
      "note": "ID this row aligns to. Blank on a key result: the objective above."
    },
    {
      "name": "Depends on",
      "aliases": [
        "Dependencies"
      ],
      "on": "both",
      "required": false,
      "width": 20,
      "number_format": "@",
      "note": "IDs or team:<Team>, separated by , ; or new lines."
    },
    {
      "name": "Start",
      "aliases": [
        "Baseline"
      ],
      "on": "key_result",
      "required": false,
      "width": 10,
      "number_format": "General"
    },
    {
      "name": "Target",
      "aliases": [],
      "on": "key_result",
      "required": false,
      "width": 10,
      "number_format": "General",
      "note": "A number, >= x / <= x, or yes."
    },
    {
      "name": "Current",
      "aliases": [
        "Actual"
      ],
      "on": "key_result",
      "required": false,
      "width": 10,
      "number_format": "General"
    },
    {
      "name": "Weight",
      "aliases": [],
      "on": "both",
      "required": false,
      "width": 8,
      "number_format": "General"
    },
    {
      "name": "Updated",
      "aliases": [
        "Last check-in"
      ],
      "on": "key_result",
      "required": false,
      "width": 12,
      "number_format": "yyyy-mm-dd"
    },
    {
      "name": "Why now",
      "aliases": [],
      "on": "objective",
      "required": false,
      "width": 30,
      "number_format": "@"
    },
    {
      "name": "Score",
      "aliases": [],
      "on": "output",
      "required": false,
      "width": 8,
      "number_format": "0.00"
    },
    {
      "name": "Status",
      "aliases": [],
      "on": "output",
      "required": false,
      "width": 11,
      "number_format": "@"
    },
    {
      "name": "Warnings",
      "aliases": [],
      "on": "output",
      "required": false,
      "width": 50,
      "number_format": "@",
      "wrap": true
    },
    {
      "name": "Confidence",
      "aliases": [
        "Forecast"
      ],
      "on": "key_result",
      "required": false,
      "width": 11,
      "number_format": "General",
      "validation": [
        "Low",
        "Medium",
        "High"
      ],
      "note": "How sure you are of reaching the target: 0-10, a percentage, or Low / Medium / High."
    },
    {
      "name": "Note",
      "aliases": [
        "Comment",
        "Check-in note"
      ],
      "on": "key_result",
      "required": false,
      "width": 36,
      "number_format": "@",
      "wrap": true,
      "note": "What changed since the last check-in, and why."
    }
  ],
  "hub_tabs": {
    "Teams": {
      "columns": [
        {
          "name": "Team",
          "width": 22,
          "required": true
        },
        {
          "name": "Level",
          "width": 12,
          "required": false,
          "validation": [
            "Company",
            "Department",
            "Team",
            "Individual"
          ]
        },
        {
          "name": "Parent team",
          "width": 22,
          "required": false
        },
        {
          "name": "Spreadsheet",
          "width": 40,
          "required": true
        },
        {
          "name": "Tab",
          "width": 10,
          "required": false
        },
        {
          "name": "Owner",
          "width": 28,
          "required": false
        }
      ]
    },
    "Settings": {
      "rows": [
        [
          "Cycle",
          ""
        ],
        [
          "Cycle start",
          null
        ],
        [
          "Cycle end",
          null
        ],
        [
          "Stale after days",
          14
        ],
        [
          "On track within",
          0.1
        ],
        [
          "At risk within",
          0.25
        ],
        [
          "Max objectives per team",
          5
        ],
        [
          "Max key results per objective",
          5
        ]
      ],
      "optional_keys": [
        "Reads per minute",
        "Writes per minute",
        "Digest day"
      ]
    },
    "Alignment Tree": {
      "columns": [
        {
          "name": "Tree",
          "width": 56
        },
        {
          "name": "Depth",
          "width": 7,
          "align": "center"
        },
        {
          "name": "ID",
          "width": 11
        },
        {
          "name": "Type",
          "width": 11
        },
        {
          "name": "Team",
          "width": 18
        },
        {
          "name": "Owner",
          "width": 32
        },
        {
          "name": "Score",
          "width": 7,
          "number_format": "0.00",
          "align": "center"
        },
        {
          "name": "Status",
          "width": 10
        },
        {
          "name": "Warnings",
          "width": 9,
          "align": "center"
        },
        {
          "name": "First warning",
          "width": 48,
          "wrap": true
        },
        {
          "name": "Link",
          "width": 13
        },
        {
          "name": "Trend",
          "width": 14
        }
      ]
    },
    "Findings": {
      "columns": [
        {
          "name": "Severity",
          "width": 10
        },
        {
          "name": "Code",
          "width": 28
        },
        {
          "name": "ID",
          "width": 12
        },
        {
          "name": "Team",
          "width": 20
        },
        {
          "name": "Owner",
          "width": 32
        },
        {
          "name": "Message",
          "width": 80,
          "wrap": true
        },
        {
          "name": "Link",
          "width": 13
        }
      ]
    },
    "History": {
      "columns": [
        {
          "name": "Date",
          "width": 12,
          "number_format": "yyyy-mm-dd"
        },
        {
          "name": "ID",
          "width": 12
        },
        {
          "name": "Score",
          "width": 8,
          "number_format": "0.00"
        },
        {
          "name": "Status",
          "width": 11
        }
      ]
    },
    "Check-ins": {
      "columns": [
        {
          "name": "Date",
          "width": 12,
          "number_format": "yyyy-mm-dd"
        },
        {
          "name": "ID",
          "width": 12
        },
        {
          "name": "Team",
          "width": 20
        },
        {
          "name": "Owner",
          "width": 28
        },
        {
          "name": "Current",
          "width": 10
        },
        {
          "name": "Score",
          "width": 8,
          "number_format": "0.00"
        },
        {
          "name": "Status",
          "width": 11
        },
        {
          "name": "Confidence",
          "width": 11
        },
        {
          "name": "Note",
          "width": 60
        }
      ]
    }
  },
  "status_colours": {
    "Done": "B7E1CD",
    "On track": "D9EAD3",
    "At risk": "FCE8B2",
    "Off track": "F4C7C3",
    "No data": "EFEFEF"
  },
  "score_bands": {
    "green_from": 0.7,
    "yellow_from": 0.4
  }
};
