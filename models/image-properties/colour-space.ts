/** An sRGB colour, 0–255 per channel. */
export type Rgb = readonly [r: number, g: number, b: number]
/** A CIE 1976 L*a*b* colour (D65 white): L 0–100, a and b roughly −128…127. */
export type Lab = readonly [l: number, a: number, b: number]

/** sRGB transfer function, encoded 0–1 → linear 0–1 (IEC 61966-2-1). */
export const decodeSrgb = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)

/** Inverse sRGB transfer function, linear 0–1 → encoded 0–1. */
export const encodeSrgb = (v: number) =>
  v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055

// sRGB (D65) ↔ XYZ matrices and the D65 reference white, from Bruce Lindbloom's tables
// (http://www.brucelindbloom.com/Eqn_RGB_XYZ_Matrix.html), the usual reference for Lab values.
const white = [0.95047, 1, 1.08883] as const
// CIE's exact ε = 216/24389 and κ = 24389/27 (Lindbloom, "CIE Standards").
const epsilon = 216 / 24_389
const kappa = 24_389 / 27

const f = (t: number) => (t > epsilon ? Math.cbrt(t) : (kappa * t + 16) / 116)
const fInverse = (t: number) => (t ** 3 > epsilon ? t ** 3 : (116 * t - 16) / kappa)

/** sRGB channels (0–255, fractions allowed) → CIE Lab (D65). */
export function rgbToLab(r: number, g: number, b: number): Lab {
  const lr = decodeSrgb(r / 255)
  const lg = decodeSrgb(g / 255)
  const lb = decodeSrgb(b / 255)
  const fx = f((0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / white[0])
  const fy = f(0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb)
  const fz = f((0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / white[2])
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)]
}

/** CIE Lab (D65) → sRGB bytes, clipped to the sRGB gamut and rounded. */
export function labToRgb([l, a, b]: Lab): Rgb {
  const fy = (l + 16) / 116
  const x = fInverse(fy + a / 500) * white[0]
  const y = l > kappa * epsilon ? fy ** 3 : l / kappa
  const z = fInverse(fy - b / 200) * white[2]
  const toByte = (linear: number) => Math.round(255 * encodeSrgb(Math.min(1, Math.max(0, linear))))
  return [
    toByte(3.2404542 * x - 1.5371385 * y - 0.4985314 * z),
    toByte(-0.969266 * x + 1.8760108 * y + 0.041556 * z),
    toByte(0.0556434 * x - 0.2040259 * y + 1.0572252 * z),
  ]
}

/** CIE 1976 colour difference: Euclidean distance in Lab. */
export const deltaE76 = (p: Lab, q: Lab) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2])

const deg = Math.PI / 180

/**
 * CIEDE2000 colour difference (kL = kC = kH = 1), following Sharma, Wu and Dalal, "The CIEDE2000
 * color-difference formula: implementation notes…", Color Res. Appl. 30 (2005), eqs. 1–22.
 */
export function deltaE2000(p: Lab, q: Lab): number {
  const [l1, a1, b1] = p
  const [l2, a2, b2] = q
  const cBar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2
  const g = 0.5 * (1 - Math.sqrt(cBar ** 7 / (cBar ** 7 + 25 ** 7)))
  const a1p = (1 + g) * a1
  const a2p = (1 + g) * a2
  const c1p = Math.hypot(a1p, b1)
  const c2p = Math.hypot(a2p, b2)
  const hue = (b: number, a: number) => {
    if (a === 0 && b === 0) return 0
    const h = Math.atan2(b, a) / deg
    return h < 0 ? h + 360 : h
  }
  const h1p = hue(b1, a1p)
  const h2p = hue(b2, a2p)

  const dLp = l2 - l1
  const dCp = c2p - c1p
  let dhp = 0
  if (c1p * c2p !== 0) {
    dhp = h2p - h1p
    if (dhp > 180) dhp -= 360
    else if (dhp < -180) dhp += 360
  }
  const dHp = 2 * Math.sqrt(c1p * c2p) * Math.sin((dhp / 2) * deg)

  const lBarP = (l1 + l2) / 2
  const cBarP = (c1p + c2p) / 2
  let hBarP = h1p + h2p
  if (c1p * c2p !== 0) {
    if (Math.abs(h1p - h2p) <= 180) hBarP /= 2
    else hBarP = h1p + h2p < 360 ? (hBarP + 360) / 2 : (hBarP - 360) / 2
  }
  const t =
    1 -
    0.17 * Math.cos((hBarP - 30) * deg) +
    0.24 * Math.cos(2 * hBarP * deg) +
    0.32 * Math.cos((3 * hBarP + 6) * deg) -
    0.2 * Math.cos((4 * hBarP - 63) * deg)
  const dTheta = 30 * Math.exp(-(((hBarP - 275) / 25) ** 2))
  const rc = 2 * Math.sqrt(cBarP ** 7 / (cBarP ** 7 + 25 ** 7))
  const sl = 1 + (0.015 * (lBarP - 50) ** 2) / Math.sqrt(20 + (lBarP - 50) ** 2)
  const sc = 1 + 0.045 * cBarP
  const sh = 1 + 0.015 * cBarP * t
  const rt = -Math.sin(2 * dTheta * deg) * rc
  const termL = dLp / sl
  const termC = dCp / sc
  const termH = dHp / sh
  return Math.sqrt(termL ** 2 + termC ** 2 + termH ** 2 + rt * termC * termH)
}

/** `#rrggbb` for 0–255 channels. */
export const toHex = (rgb: Rgb) =>
  `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`

/** `#rrggbb` → 0–255 channels. */
export function parseHex(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}
