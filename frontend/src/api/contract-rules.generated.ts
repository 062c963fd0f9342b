// Generated from the zod contracts (backend/packages/contracts) by `npm run generate:client-rules`; do not edit.
// The contracts test fails when this file and the contracts disagree.
export const CONTRACT_RULES = {
  "signup": {
    "username": {
      "required": true,
      "messages": {
        "string.pattern.base": "username may hold letters, digits, dots, dashes and underscores, and must start with a letter or digit"
      },
      "trim": true,
      "minLength": 3,
      "maxLength": 32,
      "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$"
    },
    "email": {
      "required": true,
      "format": "email",
      "trim": true,
      "lowercase": true,
      "maxLength": 254
    },
    "password": {
      "required": true,
      "kind": "new-password",
      "minLength": 1
    },
    "role": {
      "required": true,
      "values": [
        "buyer",
        "seller"
      ]
    }
  },
  "login": {
    "email": {
      "required": true,
      "format": "email",
      "trim": true,
      "lowercase": true,
      "maxLength": 254
    },
    "password": {
      "required": true,
      "minLength": 1,
      "maxLength": 1024
    }
  },
  "createProduct": {
    "name": {
      "required": true,
      "messages": {
        "string.pattern.base": "name must not contain NUL characters"
      },
      "pattern": "^[^\\u0000]*$",
      "trim": true,
      "minLength": 1,
      "maxLength": 120
    },
    "description": {
      "required": false,
      "messages": {
        "string.pattern.base": "description must not contain NUL characters"
      },
      "pattern": "^[^\\u0000]*$",
      "trim": true,
      "maxLength": 5000
    },
    "category": {
      "required": true,
      "values": [
        "books",
        "clothing",
        "electronics",
        "garden",
        "home",
        "sports",
        "toys",
        "other"
      ]
    },
    "price": {
      "required": true,
      "kind": "price",
      "messages": {
        "price.invalid": "price must be a positive amount with at most two decimals, at most 999999.99"
      }
    },
    "stock": {
      "required": true,
      "messages": {
        "number.integer": "stock must be a whole number"
      },
      "integer": true,
      "min": 0,
      "max": 1000000
    }
  },
  "searchProducts": {
    "q": {
      "required": false,
      "kind": "search-text",
      "messages": {
        "string.pattern.base": "q must not contain NUL characters",
        "search.tooShort": "q must contain a letter or digit"
      },
      "pattern": "^[^\\u0000]*$",
      "trim": true,
      "maxLength": 100
    },
    "category": {
      "required": false,
      "values": [
        "books",
        "clothing",
        "electronics",
        "garden",
        "home",
        "sports",
        "toys",
        "other"
      ]
    },
    "sellerId": {
      "required": false,
      "messages": {
        "string.guid": "sellerId must be a seller id (UUID)"
      },
      "format": "uuid"
    },
    "minPrice": {
      "required": false,
      "messages": {
        "string.pattern.base": "minPrice must be an amount such as 19.99 (at most 999999.99, two decimals)"
      },
      "pattern": "^\\d{1,6}(\\.\\d{1,2})?$"
    },
    "maxPrice": {
      "required": false,
      "kind": "max-price",
      "messages": {
        "string.pattern.base": "maxPrice must be an amount such as 19.99 (at most 999999.99, two decimals)",
        "price.belowMin": "maxPrice must not be below minPrice"
      },
      "pattern": "^\\d{1,6}(\\.\\d{1,2})?$"
    },
    "inStock": {
      "required": false,
      "kind": "query-flag"
    },
    "sort": {
      "required": false,
      "values": [
        "relevance",
        "newest",
        "price_asc",
        "price_desc",
        "name"
      ]
    },
    "page": {
      "required": false,
      "kind": "catalog-page",
      "messages": {
        "number.max": "page may reach only the first 100,000 products of a list; narrow it with a search or a category"
      },
      "integer": true,
      "min": 1,
      "max": 100000
    },
    "pageSize": {
      "required": false,
      "integer": true,
      "min": 1,
      "max": 100
    }
  },
  "listUsers": {
    "page": {
      "required": false,
      "integer": true,
      "min": 1,
      "max": 100000
    },
    "pageSize": {
      "required": false,
      "integer": true,
      "min": 1,
      "max": 100
    },
    "q": {
      "required": false,
      "pattern": "^[^\\u0000]*$",
      "trim": true,
      "maxLength": 100
    }
  },
  "placeOrder": {
    "items": {
      "required": true,
      "items": {
        "productId": {
          "required": true,
          "format": "uuid"
        },
        "quantity": {
          "required": true,
          "integer": true,
          "min": 1,
          "max": 99
        },
        "unitPrice": {
          "required": true,
          "pattern": "^(0|[1-9]\\d{0,8})\\.\\d{2}$"
        }
      },
      "minItems": 1,
      "maxItems": 50
    },
    "shippingAddressId": {
      "required": false,
      "format": "uuid"
    }
  },
  "uploadImage": {
    "alt": {
      "required": true,
      "messages": {
        "any.required": "alt is required: describe the image for people who cannot see it"
      },
      "pattern": "^[^\\u0000]*$",
      "trim": true,
      "minLength": 1,
      "maxLength": 250
    }
  },
  "address": {
    "name": {
      "required": true,
      "messages": {
        "string.pattern.base": "name must not be blank"
      },
      "maxLength": 100,
      "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    },
    "line1": {
      "required": true,
      "messages": {
        "string.pattern.base": "line1 must not be blank"
      },
      "maxLength": 200,
      "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    },
    "line2": {
      "required": false,
      "maxLength": 200,
      "pattern": "^[^\\u0000]*$"
    },
    "city": {
      "required": true,
      "messages": {
        "string.pattern.base": "city must not be blank"
      },
      "maxLength": 100,
      "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    },
    "postalCode": {
      "required": true,
      "messages": {
        "string.pattern.base": "postalCode may hold letters, digits, spaces and dashes"
      },
      "maxLength": 20,
      "pattern": "^\\s*[A-Za-z0-9][A-Za-z0-9 -]*\\s*$"
    },
    "region": {
      "required": false,
      "maxLength": 100,
      "pattern": "^[^\\u0000]*$"
    },
    "country": {
      "required": true,
      "values": [
        "AD",
        "AE",
        "AF",
        "AG",
        "AI",
        "AL",
        "AM",
        "AO",
        "AQ",
        "AR",
        "AS",
        "AT",
        "AU",
        "AW",
        "AX",
        "AZ",
        "BA",
        "BB",
        "BD",
        "BE",
        "BF",
        "BG",
        "BH",
        "BI",
        "BJ",
        "BL",
        "BM",
        "BN",
        "BO",
        "BQ",
        "BR",
        "BS",
        "BT",
        "BV",
        "BW",
        "BY",
        "BZ",
        "CA",
        "CC",
        "CD",
        "CF",
        "CG",
        "CH",
        "CI",
        "CK",
        "CL",
        "CM",
        "CN",
        "CO",
        "CR",
        "CU",
        "CV",
        "CW",
        "CX",
        "CY",
        "CZ",
        "DE",
        "DJ",
        "DK",
        "DM",
        "DO",
        "DZ",
        "EC",
        "EE",
        "EG",
        "EH",
        "ER",
        "ES",
        "ET",
        "FI",
        "FJ",
        "FK",
        "FM",
        "FO",
        "FR",
        "GA",
        "GB",
        "GD",
        "GE",
        "GF",
        "GG",
        "GH",
        "GI",
        "GL",
        "GM",
        "GN",
        "GP",
        "GQ",
        "GR",
        "GS",
        "GT",
        "GU",
        "GW",
        "GY",
        "HK",
        "HM",
        "HN",
        "HR",
        "HT",
        "HU",
        "ID",
        "IE",
        "IL",
        "IM",
        "IN",
        "IO",
        "IQ",
        "IR",
        "IS",
        "IT",
        "JE",
        "JM",
        "JO",
        "JP",
        "KE",
        "KG",
        "KH",
        "KI",
        "KM",
        "KN",
        "KP",
        "KR",
        "KW",
        "KY",
        "KZ",
        "LA",
        "LB",
        "LC",
        "LI",
        "LK",
        "LR",
        "LS",
        "LT",
        "LU",
        "LV",
        "LY",
        "MA",
        "MC",
        "MD",
        "ME",
        "MF",
        "MG",
        "MH",
        "MK",
        "ML",
        "MM",
        "MN",
        "MO",
        "MP",
        "MQ",
        "MR",
        "MS",
        "MT",
        "MU",
        "MV",
        "MW",
        "MX",
        "MY",
        "MZ",
        "NA",
        "NC",
        "NE",
        "NF",
        "NG",
        "NI",
        "NL",
        "NO",
        "NP",
        "NR",
        "NU",
        "NZ",
        "OM",
        "PA",
        "PE",
        "PF",
        "PG",
        "PH",
        "PK",
        "PL",
        "PM",
        "PN",
        "PR",
        "PS",
        "PT",
        "PW",
        "PY",
        "QA",
        "RE",
        "RO",
        "RS",
        "RU",
        "RW",
        "SA",
        "SB",
        "SC",
        "SD",
        "SE",
        "SG",
        "SH",
        "SI",
        "SJ",
        "SK",
        "SL",
        "SM",
        "SN",
        "SO",
        "SR",
        "SS",
        "ST",
        "SV",
        "SX",
        "SY",
        "SZ",
        "TC",
        "TD",
        "TF",
        "TG",
        "TH",
        "TJ",
        "TK",
        "TL",
        "TM",
        "TN",
        "TO",
        "TR",
        "TT",
        "TV",
        "TW",
        "TZ",
        "UA",
        "UG",
        "UM",
        "US",
        "UY",
        "UZ",
        "VA",
        "VC",
        "VE",
        "VG",
        "VI",
        "VN",
        "VU",
        "WF",
        "WS",
        "YE",
        "YT",
        "ZA",
        "ZM",
        "ZW"
      ]
    },
    "phone": {
      "required": false,
      "messages": {
        "string.pattern.base": "phone may hold digits, spaces, dashes, brackets and a leading +"
      },
      "maxLength": 30,
      "pattern": "^\\s*(\\+?[0-9][0-9 ().-]{3,})?\\s*$"
    }
  }
} as const;
