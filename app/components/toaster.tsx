import { useEffect, useState } from 'react'

type Toast = { type: 'success' | 'error' | 'info'; title: string; description?: string }

const STYLES = {
  success: 'bg-emerald-50 ring-emerald-600 text-emerald-900',
  error: 'bg-red-50 ring-red-600 text-red-900',
  info: 'bg-sky-50 ring-sky-600 text-sky-900',
}

export function Toaster({ toast }: { toast: Toast | null }) {
  const [shown, setShown] = useState<Toast | null>(toast)
  useEffect(() => {
    setShown(toast)
    if (!toast) return
    const t = setTimeout(() => setShown(null), 6000)
    return () => clearTimeout(t)
  }, [toast])
  return (
    <div aria-live="polite" role="status" className="pointer-events-none fixed bottom-4 right-4 z-50 w-80">
      {shown ? (
        <div className={`pointer-events-auto rounded-md p-4 shadow-lg ring-1 ${STYLES[shown.type]}`}>
          <div className="flex items-start justify-between gap-2">
            <p className="font-semibold">{shown.title}</p>
            <button type="button" className="text-sm underline" onClick={() => setShown(null)}>
              Dismiss
            </button>
          </div>
          {shown.description ? <p className="mt-1 text-sm">{shown.description}</p> : null}
        </div>
      ) : null}
    </div>
  )
}
