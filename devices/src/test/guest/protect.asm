; Test guest: protection checks on data segment loads, ARPL, LAR/LSL/VERR/VERW, and the alignment
; check. At CPL 0 and then CPL 3, loads of DS, ES and SS with DPL/RPL/CPL combinations, code,
; system, not-present and out-of-table descriptors: #GP, #NP with the selector as error code (SDM
; vol. 2, MOV). ARPL raises an RPL (ZF). LAR/LSL/VERR/VERW from ring 3 on every kind of descriptor
; print the result and ZF (the destination kept when ZF = 0). #AC(0) for a misaligned access at CPL
; 3 with CR0.AM and EFLAGS.AC, none at CPL 0 or with AM clear. Faults print their vector, error
; code and saved EIP relative to the instruction (+0). The error codes of a delivery that fails
; in the IDT (SDM vol. 3, 6.13): the vector with the IDT bit, and EXT for an exception.
; Lines starting with "kasou:" are what QEMU does differently (the test leaves them out of its
; comparison): QEMU does not check a null selector on an access (SDM vol. 3, 5.4.1: #GP(0)); it
; does not set the accessed bit of the code segment that IRET loads (3.4.5.1); it has no alignment
; check (6.15: #AC(0)); and it leaves EXT clear in the error code of a fault raised while delivering
; an exception (6.13: EXT is set for a fault during the delivery of an earlier exception).
; Prints on port 0xE9; the test compares the output with QEMU's.
; Flat multiboot image; build: nasm -f bin protect.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
KCODE           equ 0x08
KDATA           equ 0x10
UCODE           equ 0x18 | 3
UDATA           equ 0x20 | 3
TSS_SEL         equ 0x28
XCODE           equ 0x30 | 3            ; execute-only code, DPL 3
RDATA           equ 0x38 | 3            ; read-only data, DPL 3
CCODE           equ 0x40 | 3            ; conforming readable code, DPL 0
NPDATA          equ 0x48 | 3            ; data, DPL 3, not present
SMALL           equ 0x50 | 3            ; data, DPL 3, limit 0x1234 bytes
GATE            equ 0x58 | 3            ; call gate, DPL 3
DATA1           equ 0x60 | 1            ; data, DPL 1
BEYOND          equ 0x80                ; past the GDT limit
AM              equ 0x40000             ; CR0.AM and EFLAGS.AC

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"
%include "sysfaults.inc"

; LOAD text, segment register, selector: print text, load, print the fault or "loaded" (with
; the register put back first, so the print reads through a usable DS)
%macro LOAD 3
        PRINT   %1
        mov     bx, %2
        mov     ax, %3
        EXPECT  %%next
        mov     %2, ax
        mov     %2, bx
        PRINT   s_loaded
%%next: NEWLINE
%endmacro

; CHECK text, instruction, selector: print text, the destination (preset to deadbeef) and ZF;
; with LAR the destination is masked by 00F0FF00 where ZF = 1 (bits 19:16 are undefined)
%macro CHECK 3
        PRINT   %1
        mov     eax, 0xDEADBEEF
        mov     bx, %3
        %2      eax, bx
        setz    cl
%ifidn %2, lar
        jnz     %%kept
        and     eax, 0x00F0FF00
%%kept:
%endif
        movzx   ecx, cl
        PRINTHEX s_value, eax
        PRINTHEX s_zf, ecx
        NEWLINE
%endmacro

; VERIFY text, instruction, selector: print text and ZF
%macro VERIFY 3
        PRINT   %1
        mov     bx, %3
        %2      bx
        setz    cl
        movzx   ecx, cl
        PRINTHEX s_zf, ecx
        NEWLINE
%endmacro

entry:
        mov     esp, kstack_top
        lgdt    [gdt_pointer]
        jmp     KCODE:.flat
.flat:  mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        call    setup_exceptions
        mov     ecx, 0x40                       ; INT 0x40 from ring 3 sets CR0.AM
        mov     eax, set_am
        mov     edx, 0xEE00
        call    set_idt_gate
        lidt    [idt_pointer]
        mov     edi, gdt + TSS_SEL
        mov     eax, tss
        call    set_base
        mov     dword [tss + 4], kstack_top
        mov     dword [tss + 8], KDATA
        mov     word [tss + 102], 104
        mov     ax, TSS_SEL
        ltr     ax

        PRINT   s_cpl0
        LOAD    s_rpl3_dpl0, ds, KDATA | 3
        LOAD    s_ss_dpl3, ss, UDATA & ~3
        LOAD    s_ss_rpl3, ss, KDATA | 3
        LOAD    s_ss_null, ss, 0
        LOAD    s_xcode, ds, XCODE
        LOAD    s_np, ds, NPDATA
        LOAD    s_beyond, ds, BEYOND
        LOAD    s_tss, ds, TSS_SEL
        LOAD    s_ccode, ds, CCODE
        LOAD    s_null, ds, 0
        mov     ax, KDATA
        mov     ds, ax

        PRINT   s_int_beyond
        EXPECT  .int1
        int     0x42
.int1:  NEWLINE
        PRINT   s_int_type0
        EXPECT  .int2
        int     0x3F
.int2:  NEWLINE
        PRINT   s_int_np
        mov     ecx, 0x3E
        mov     eax, set_am
        mov     edx, 0x0E00                     ; interrupt gate, not present
        call    set_idt_gate
        EXPECT  .int3
        int     0x3E
.int3:  NEWLINE
        PRINT   s_ud_np
        and     byte [idt + 6 * 8 + 5], 0x7F    ; #UD's gate not present
        EXPECT  .int4
        ud2
.int4:  or      byte [idt + 6 * 8 + 5], 0x80
        NEWLINE

        PRINT   s_ac_cpl0
        mov     eax, cr0
        or      eax, AM
        mov     cr0, eax
        pushfd
        or      dword [esp], AM
        popfd
        EXPECT  .1
        mov     eax, [misaligned + 1]
        PRINT   s_no_fault
.1:     NEWLINE
        pushfd
        and     dword [esp], ~AM
        popfd
        mov     eax, cr0
        and     eax, ~AM
        mov     cr0, eax

        push    dword UDATA
        push    dword ustack_top
        push    dword 0x3002                    ; IOPL 3: ring 3 prints on port 0xE9
        push    dword UCODE
        push    dword user_main
        iretd

; INT 0x40: CR0.AM on
set_am:
        push    eax
        mov     eax, cr0
        or      eax, AM
        mov     cr0, eax
        pop     eax
        iretd

; ---------------------------------------------------------------------------------------------
user_main:
        mov     ax, UDATA
        mov     ds, ax
        mov     es, ax
        PRINT   s_cpl3
        LOAD    s_dpl0, ds, KDATA
        LOAD    s_rpl0_dpl3, ds, UDATA & ~3
        LOAD    s_dpl1, es, DATA1
        LOAD    s_ccode, es, CCODE
        LOAD    s_ss_rdata, ss, RDATA
        LOAD    s_ss_dpl0, ss, KDATA | 3
        LOAD    s_np, es, NPDATA
        mov     ax, UDATA
        mov     ds, ax
        mov     es, ax

        PRINT   s_null_access
        xor     eax, eax
        mov     es, ax
        EXPECT  .2
        mov     eax, [es:misaligned]
        PRINT   s_no_fault
.2:     mov     ax, UDATA
        mov     es, ax
        NEWLINE

        PRINT   s_arpl
        mov     ax, KDATA
        mov     bx, UCODE
        arpl    ax, bx
        setz    cl
        movzx   ecx, cl
        movzx   eax, ax
        PRINTHEX s_value, eax
        PRINTHEX s_zf, ecx
        arpl    ax, bx
        setz    cl
        movzx   ecx, cl
        PRINTHEX s_value, eax
        PRINTHEX s_zf, ecx
        NEWLINE

        CHECK   s_lar_ucode, lar, UCODE
        CHECK   s_lar_udata, lar, UDATA
        CHECK   s_lar_xcode, lar, XCODE
        CHECK   s_lar_kdata, lar, KDATA
        CHECK   s_lar_kdata_rpl3, lar, KDATA | 3
        CHECK   s_lar_ccode, lar, CCODE
        CHECK   s_lar_gate, lar, GATE
        CHECK   s_lar_tss, lar, TSS_SEL | 3
        CHECK   s_lar_null, lar, 0
        CHECK   s_lar_beyond, lar, BEYOND | 3
        CHECK   s_lsl_small, lsl, SMALL
        CHECK   s_lsl_udata, lsl, UDATA
        CHECK   s_lsl_gate, lsl, GATE
        CHECK   s_lsl_kdata, lsl, KDATA
        VERIFY  s_verr_ucode, verr, UCODE
        VERIFY  s_verr_xcode, verr, XCODE
        VERIFY  s_verr_ccode, verr, CCODE
        VERIFY  s_verr_kdata, verr, KDATA
        VERIFY  s_verr_rdata, verr, RDATA
        VERIFY  s_verr_gate, verr, GATE
        VERIFY  s_verw_udata, verw, UDATA
        VERIFY  s_verw_rdata, verw, RDATA
        VERIFY  s_verw_ucode, verw, UCODE
        VERIFY  s_verw_data1, verw, DATA1

        PRINT   s_ac_am_clear
        pushfd
        or      dword [esp], AM
        popfd
        EXPECT  .3
        mov     eax, [misaligned + 1]
        PRINT   s_no_fault
.3:     NEWLINE
        int     0x40                            ; CR0.AM on
        PRINT   s_ac_dword
        EXPECT  .4
        mov     eax, [misaligned + 1]
        PRINT   s_no_fault
.4:     NEWLINE
        PRINT   s_ac_word
        EXPECT  .5
        mov     ax, [misaligned + 3]
        PRINT   s_no_fault
.5:     NEWLINE
        PRINT   s_ac_aligned
        EXPECT  .6
        mov     eax, [misaligned + 4]
        mov     ax, [misaligned + 2]
        PRINT   s_no_fault
.6:     NEWLINE
        pushfd
        and     dword [esp], ~AM
        popfd
        PRINT   s_ac_clear
        EXPECT  .7
        mov     eax, [misaligned + 1]
        PRINT   s_no_fault
.7:     NEWLINE
        PRINT   s_ac_popf                       ; AC turned on right before the access, in one block
        EXPECT  .8
        pushfd
        or      dword [esp], AM
        popfd
        mov     eax, [misaligned + 1]
        PRINT   s_no_fault
.8:     NEWLINE
        pushfd
        and     dword [esp], ~AM
        popfd

        PRINT   s_done
        EXIT    0

; ---------------------------------------------------------------------------------------------
        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 ring 0 code
        dq      0x00CF92000000FFFF      ; 0x10 ring 0 data
        dq      0x00CFFA000000FFFF      ; 0x18 ring 3 code
        dq      0x00CFF2000000FFFF      ; 0x20 ring 3 data
        dq      0x0000890000000067      ; 0x28 TSS
        dq      0x00CFF8000000FFFF      ; 0x30 execute-only code, DPL 3
        dq      0x00CFF0000000FFFF      ; 0x38 read-only data, DPL 3
        dq      0x00CF9E000000FFFF      ; 0x40 conforming readable code, DPL 0
        dq      0x00CF72000000FFFF      ; 0x48 data, DPL 3, not present
        dq      0x0040F20000001234      ; 0x50 data, DPL 3, limit 0x1234
        dq      0x0000EC0000080000      ; 0x58 call gate, DPL 3
        dq      0x00CFB2000000FFFF      ; 0x60 data, DPL 1
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
idt_pointer:
        dw      0x41 * 8 - 1
        dd      idt
        align 4
misaligned: dd  0x44332211, 0x88776655

s_cpl0:        db "cpl 0", 10, 0
s_cpl3:        db "cpl 3", 10, 0
s_rpl3_dpl0:   db "ds <- rpl 3, dpl 0: ", 0
s_ss_dpl3:     db "ss <- rpl 0, dpl 3: ", 0
s_ss_rpl3:     db "ss <- rpl 3, dpl 0: ", 0
s_ss_null:     db "ss <- null: ", 0
s_xcode:       db "ds <- execute-only code: ", 0
s_np:          db "data segment not present: ", 0
s_beyond:      db "ds <- past the gdt limit: ", 0
s_tss:         db "ds <- tss: ", 0
s_ccode:       db "conforming readable code, dpl 0, rpl 3: ", 0
s_null:        db "ds <- null: ", 0
s_dpl0:        db "ds <- dpl 0: ", 0
s_rpl0_dpl3:   db "ds <- rpl 0, dpl 3: ", 0
s_dpl1:        db "es <- dpl 1: ", 0
s_ss_rdata:    db "ss <- read-only data: ", 0
s_ss_dpl0:     db "ss <- rpl 3, dpl 0: ", 0
s_null_access: db "kasou: read through a null es: ", 0
s_loaded:      db "loaded ", 0
s_no_fault:    db "no fault ", 0
s_arpl:        db "arpl 0010, 001b twice: ", 0
s_lar_ucode:   db "kasou: lar ring-3 code (accessed: loaded by iret): ", 0
s_lar_udata:   db "lar ring-3 data (accessed: loaded by mov): ", 0
s_lar_xcode:   db "lar execute-only code: ", 0
s_lar_kdata:   db "lar dpl-0 data, rpl 0: ", 0
s_lar_kdata_rpl3: db "lar dpl-0 data, rpl 3: ", 0
s_lar_ccode:   db "lar conforming code, dpl 0: ", 0
s_lar_gate:    db "lar call gate: ", 0
s_lar_tss:     db "lar tss, dpl 0: ", 0
s_lar_null:    db "lar null: ", 0
s_lar_beyond:  db "lar past the gdt limit: ", 0
s_lsl_small:   db "lsl byte-granular data: ", 0
s_lsl_udata:   db "lsl page-granular data: ", 0
s_lsl_gate:    db "lsl call gate: ", 0
s_lsl_kdata:   db "lsl dpl-0 data: ", 0
s_verr_ucode:  db "verr readable code: ", 0
s_verr_xcode:  db "verr execute-only code: ", 0
s_verr_ccode:  db "verr conforming code, dpl 0: ", 0
s_verr_kdata:  db "verr dpl-0 data: ", 0
s_verr_rdata:  db "verr read-only data: ", 0
s_verr_gate:   db "verr call gate: ", 0
s_verw_udata:  db "verw data: ", 0
s_verw_rdata:  db "verw read-only data: ", 0
s_verw_ucode:  db "verw code: ", 0
s_verw_data1:  db "verw dpl-1 data: ", 0
s_int_beyond:  db "int 0x42 past the idt limit: ", 0
s_int_type0:   db "int 0x3f, an empty idt entry: ", 0
s_int_np:      db "int 0x3e, gate not present: ", 0
s_ud_np:       db "kasou: ud2, #ud gate not present: ", 0
s_ac_cpl0:     db "misaligned read at cpl 0 with am and ac: ", 0
s_ac_am_clear: db "misaligned read at cpl 3, ac set, am clear: ", 0
s_ac_dword:    db "kasou: misaligned dword at cpl 3, am and ac: ", 0
s_ac_word:     db "kasou: misaligned word at cpl 3, am and ac: ", 0
s_ac_aligned:  db "aligned dword and word at cpl 3, am and ac: ", 0
s_ac_clear:    db "misaligned read at cpl 3, ac cleared: ", 0
s_ac_popf:     db "kasou: misaligned dword right after popfd sets ac, am on: ", 0
s_value:       db "value=", 0
s_zf:          db "zf=", 0
s_done:        db "done", 10, 0

        align 4
image_end:

        absolute image_end
        alignb  16
idt:            resb 0x41 * 8
tss:            resb 104
site:           resd 1
resume:         resd 1
phase_esp:      resd 1
phase_next:     resd 1
        alignb  16
                resb 8192
kstack_top:
                resb 8192
ustack_top:
bss_end:
